// Decides what the generated program holds before any code is printed: one BlockCode per IR block,
// from the emitter of the block's family (blocks/), in dependency order, with every identifier
// allocated by one EmitContext. Takes the IR; gives the plan the file emitters walk. Spec strings
// reach code only through `literal()`.
import type { IR, IRBlock, IREvaluation } from "../../ir/index.js";
import { type BlockCode, EmitContext } from "./blocks/block-code.js";
import { datasetCode } from "./blocks/dataset.js";
import { featuresCode } from "./blocks/features.js";
import { quantizerCode } from "./blocks/quantizer.js";
import { towerCode, twoTowerCode } from "./blocks/two-tower.js";
import { generativeCode } from "./blocks/generative.js";
import { distillCode, isRankingDistill } from "./blocks/distill.js";
import { rankingCode } from "./blocks/ranking.js";
import { matrixFactorizationCode } from "./blocks/matrix-factorization.js";
import { sequentialCode } from "./blocks/sequential.js";

export interface Plan {
  readonly ir: IR;
  readonly blocks: readonly BlockCode[];
  readonly evaluations: readonly { evaluation: IREvaluation; model: string; data: string; ranking: boolean }[];
}

function blockCode(block: IRBlock, ctx: EmitContext): BlockCode {
  switch (block.kind) {
    case "dataset":
      return datasetCode(block, ctx);
    case "features":
      return featuresCode(block, ctx);
    case "quantizer":
      return quantizerCode(block, ctx);
    case "tower":
      return towerCode(block, ctx);
    case "distill":
      return distillCode(block, ctx);
    case "model":
      switch (block.type) {
        case "sequential":
          return sequentialCode(block, ctx);
        case "two_tower":
          return twoTowerCode(block, ctx);
        case "generative":
          return generativeCode(block, ctx);
        case "ranking":
          return rankingCode(block, ctx);
        case "matrix_factorization":
          return matrixFactorizationCode(block, ctx);
        default:
          throw new Error(`internal: no code generator for model type ${block.type}`);
      }
    default: {
      const kind: never = block.kind as never;
      throw new Error(`internal: no code generator for block kind ${String(kind)}`);
    }
  }
}

/** Whether a model is evaluated by ranking each target among its candidates through a scorer. */
function isRanker(block: IRBlock): boolean {
  return block.type === "ranking" || isRankingDistill(block);
}

export function plan(ir: IR): Plan {
  // Runtime names the program imports are claimed before any spec name, so a quantizer called
  // `random_id_codes` gets `randomIdCodes2`, not the runtime's `randomIdCodes`. Imports never depend
  // on the names given, so a first pass finds them.
  const first = new EmitContext(ir);
  const imported = ir.blocks.map((b) => blockCode(b, first)).flatMap((b) => [...b.modelImports, ...b.modelTypeImports, ...b.trainImports, ...b.restoreImports]);
  const ctx = new EmitContext(ir, imported);
  const blocks = ir.blocks.map((b) => blockCode(b, ctx));
  const evaluations = ir.evaluations.map((evaluation) => ({
    evaluation,
    // A distilled ranker is evaluated as its student network.
    model: ctx.variable(evaluation.model) + (isRankingDistill(ctx.block(evaluation.model)) ? ".student" : ""),
    data: ctx.variable(evaluation.dataset),
    ranking: isRanker(ctx.block(evaluation.model)),
  }));
  return { ir, blocks, evaluations };
}
