// How a trainable block trains and is restored: its `train { … }` settings as a typed constant in
// model.ts, and the statements train.ts and infer.ts run; and a trained model's BlockCode, its own
// parts (class, maker, imports) followed by those. Takes the block; gives those pieces.
import type { IRBlock } from "../../../ir/ir.js";
import { typed } from "../../../ir/narrow.js";
import { weighsBatchesByTargets } from "../../../ir/weighs-batches-by-targets.js";
import { literal } from "../literal.js";
import type { BlockCode, EmitContext } from "./block-code.js";

export interface TrainCode {
  /** The `TrainAttributes` constant's name (`sasrecTraining`) and its declaration. */
  readonly constant: string;
  readonly declaration: string;
  /** `train.seed`: every weight of the model is initialised from it. */
  readonly seed: number;
  readonly train: string[];
  readonly restore: string[];
  readonly trainImports: string[];
  readonly restoreImports: string[];
}

export function trainCode(block: IRBlock, ctx: EmitContext): TrainCode {
  const data = ctx.variable(block.dataset);
  const name = ctx.exported("training", block.name, (_p, c) => `${c}Training`);
  const variable = ctx.variable(block.name);
  const t = typed(block).train;
  if (t === null) throw new Error(`internal: block \`${block.name}\` trains but has no train settings`);
  const budget = t.steps !== null ? `${t.steps} steps` : `${t.epochs} epochs`;
  // Early stopping on a ranking metric measures what evaluation will: with the history left out
  // when the model's `evaluate` blocks leave it out.
  const excludeHistory = ctx.ir.evaluations.some((e) => e.model === block.name && e.exclude_history);
  return {
    constant: name,
    declaration: `/** How \`${block.name}\` trains: ${t.optimizer.type}, batches of ${t.batch}, ${budget}. */\nexport const ${name}: TrainAttributes = ${literal(t)};`,
    seed: t.seed,
    train: trainStatements(block, variable, data, name, excludeHistory),
    restore: [`await restoreBlock(run, ${variable});`],
    trainImports: ["trainBlock"],
    restoreImports: ["restoreBlock"],
  };
}

/** `await trainBlock(…)`, with the options the block needs said (and why, where it is not obvious). */
function trainStatements(block: IRBlock, variable: string, data: string, constant: string, excludeHistory: boolean): string[] {
  const options: string[] = [];
  if (excludeHistory) options.push("excludeHistory: true");
  const weigh = weighsBatchesByTargets(block);
  if (weigh) options.push("weighBatchesByTargets: true");
  const call = `await trainBlock(run, ${variable}, ${data}, ${constant}${options.length > 0 ? `, { ${options.join(", ")} }` : ""});`;
  return weigh ? ["// Batches of similar history length: each counts by its target positions, so every position weighs the same.", call] : [call];
}

/** What is a trained model's own in its BlockCode: its declarations, the expression making it, imports. */
export type ModelParts = Pick<BlockCode, "type" | "declarations" | "exports" | "make" | "modelImports" | "modelTypeImports">;

/** A trained model's BlockCode: its own parts, then its training constant and statements. */
export function trainedModelCode(block: IRBlock, ctx: EmitContext, model: ModelParts, training: TrainCode = trainCode(block, ctx)): BlockCode {
  return {
    block,
    variable: ctx.variable(block.name),
    type: model.type,
    declarations: [...model.declarations, training.declaration],
    exports: [...model.exports, training.constant],
    make: model.make,
    train: training.train,
    restore: training.restore,
    modelImports: model.modelImports,
    modelTypeImports: [...model.modelTypeImports, "TrainAttributes"],
    trainImports: training.trainImports,
    restoreImports: training.restoreImports,
    disposable: true,
  };
}
