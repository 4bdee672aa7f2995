// `quantizer NAME = rqvae(…) | lsh(…) | random_ids(…)`: a class in model.ts that gives every item
// its Semantic ID. The compiler picks the method: the RQ-VAE is spelled out (rqvae.ts); LSH and
// random IDs call the runtime's code functions with their sizes and seed inline. Every kind then
// assembles the table (collision suffix when asked), and train.ts / infer.ts fit it or restore the
// table saved in the run folder. Takes the block; gives its code.
import type { LshAttributes, RandomIdsAttributes } from "../../../ir/attributes.generated.js";
import type { IRBlock } from "../../../ir/ir.js";
import { blockOf } from "../../../ir/narrow.js";
import { commentText } from "../escape.js";
import { literal } from "../literal.js";
import { type BlockCode, type EmitContext, describe, refName } from "./block-code.js";
import { rqvaeCode } from "./rqvae.js";
import { quantizerBlockCode, semanticIdTableCode } from "./semantic-ids.js";

/** A quantizer without weights: its class computes the base codes in `fit` with one runtime call. */
function codesClass(
  block: IRBlock,
  a: LshAttributes | RandomIdsAttributes,
  cls: string,
  doc: string,
  field: string,
  fieldType: string,
  codes: string,
  fitDoc: string,
): string {
  const table = semanticIdTableCode(a.levels, a.codebook, a.collisions);
  return `/**
 * ${describe(block)}: ${doc}
 * ${table.doc}
 */
export class ${cls} implements Quantizer {
  readonly name = ${literal(block.name)};
  readonly method = ${literal(block.type)};
  readonly levels = ${a.levels};
  readonly codebook = ${a.codebook};
  table: SemanticIdTable | null = null;

  constructor(private readonly ${field}: ${fieldType}) {}

  /** ${fitDoc}, then ${table.fitDoc}. */
  fit(): SemanticIdTable {
    const codes = ${codes}; // [N + 1, ${a.levels}], row 0 −1
    ${table.statement}
  }

  dispose(): void {}
}`;
}

function lshCode(block: IRBlock, ctx: EmitContext): BlockCode {
  const a = blockOf(block, "quantizer", "lsh").attributes;
  const features = refName(a.features);
  const cls = ctx.exported("class", block.name, (p) => `${p}Quantizer`);
  const bits = Math.max(1, Math.floor(Math.log2(a.codebook)));
  const doc = `locality-sensitive hashing of \`${commentText(features)}\`. Each level draws ${bits} random hyperplanes (seed ${a.seed}) through the items' mean; an item's code sets bit j when it lies on hyperplane j's positive side.`;
  return quantizerBlockCode(block, ctx, {
    cls,
    declarations: [
      codesClass(
        block,
        a,
        cls,
        doc,
        "features",
        "ItemFeatures",
        `lshCodes(this.features, ${a.levels}, ${a.codebook}, ${a.seed})`,
        "Hashes every item's vector",
      ),
    ],
    make: `new ${cls}(${ctx.variable(features)})`,
    exports: [cls],
    modelImports: ["lshCodes"],
    modelTypeImports: ["ItemFeatures"],
  });
}

function randomIdsCode(block: IRBlock, ctx: EmitContext): BlockCode {
  const a = blockOf(block, "quantizer", "random_ids").attributes;
  const cls = ctx.exported("class", block.name, (p) => `${p}Quantizer`);
  const doc = `random codes, the baseline for Semantic IDs: each of an item's ${a.levels} codes uniform in [0, ${a.codebook}) (seed ${a.seed}), whatever its content.`;
  return quantizerBlockCode(block, ctx, {
    cls,
    declarations: [
      codesClass(block, a, cls, doc, "numItems", "number", `randomIdCodes(this.numItems, ${a.levels}, ${a.codebook}, ${a.seed})`, "Draws every item's codes"),
    ],
    make: `new ${cls}(${ctx.variable(block.dataset)}.numItems)`,
    exports: [cls],
    modelImports: ["randomIdCodes"],
    modelTypeImports: [],
  });
}

export function quantizerCode(block: IRBlock, ctx: EmitContext): BlockCode {
  switch (block.type) {
    case "rqvae":
      return rqvaeCode(block, ctx);
    case "lsh":
      return lshCode(block, ctx);
    case "random_ids":
      return randomIdsCode(block, ctx);
    default:
      throw new Error(`internal: no code generator for quantizer type ${block.type}`);
  }
}
