// `features NAME = content_vectors(…) | vectors(path, …)`: a loader in model.ts that calls the
// runtime function of the block's type with its settings inline: TF-IDF + truncated SVD of the
// items' tokens (cached on disk), or a JSON Lines file of vectors. Takes the block; gives its code.
import type { IRBlock } from "../../../ir/ir.js";
import { isBlock } from "../../../ir/narrow.js";
import { commentText } from "../escape.js";
import { literal } from "../literal.js";
import { type BlockCode, type EmitContext, describe } from "./block-code.js";

/** The loader's doc comment and the runtime call it returns. */
function loader(block: IRBlock, data: string): { doc: string; call: string; runtime: string } {
  const name = literal(block.name);
  if (isBlock(block, "features", "content_vectors")) {
    const a = block.attributes;
    const settings = { dim: a.dim, source: a.source, normalize: a.normalize, seed: a.seed };
    const tokens = a.source === "auto" ? `attributes (or text, when \`${commentText(block.dataset)}\` has no attributes)` : a.source;
    return {
      doc: `${describe(block)}: TF-IDF over each item's ${tokens},\n * reduced to ${a.dim} dimensions by a truncated SVD (seed ${a.seed})${
        a.normalize ? ", each vector scaled to unit length" : ""
      }.\n * Cached under .cache/recspec, so a second run reads it.`,
      call: `itemContentVectors(run, ${name}, ${data}, ${literal(settings)})`,
      runtime: "itemContentVectors",
    };
  }
  if (isBlock(block, "features", "vectors")) {
    const a = block.attributes;
    const settings = { path: a.path, dim: a.dim, missing: a.missing };
    return {
      doc: `${describe(block)}: ${a.dim}-dimensional item vectors from a JSON Lines file${
        a.missing === "zeros" ? " (items without one get zeros)" : " that must cover every item"
      }.`,
      call: `readVectorsFile(run, ${name}, ${data}, ${literal(settings)})`,
      runtime: "readVectorsFile",
    };
  }
  throw new Error(`internal: no code generator for features type ${block.type}`);
}

export function featuresCode(block: IRBlock, ctx: EmitContext): BlockCode {
  const data = ctx.variable(block.dataset);
  const maker = ctx.exported("make", block.name, (p) => `load${p}`);
  const { doc, call, runtime } = loader(block, data);
  const fn = `/**\n * ${doc}\n */
export async function ${maker}(run: Run, ${data}: PreparedData): Promise<ItemFeatures> {
  return ${call};
}`;
  return {
    block,
    variable: ctx.variable(block.name),
    type: "ItemFeatures",
    declarations: [fn],
    exports: [maker],
    make: `await ${maker}(run, ${data})`,
    train: [],
    restore: [],
    modelImports: [runtime],
    modelTypeImports: ["Run", "PreparedData", "ItemFeatures"],
    trainImports: [],
    restoreImports: [],
    disposable: false,
  };
}
