// What every quantizer's code shares, whatever makes its base codes: the statement that assembles
// the Semantic-ID table (with the collision suffix when asked) and the BlockCode whose train.ts /
// infer.ts statements fit the quantizer or restore the table saved in the run folder. Takes the
// sizes, or the block and its class; gives those pieces.
import type { IRBlock } from "../../../ir/ir.js";
import { literal } from "../literal.js";
import type { BlockCode, EmitContext } from "./block-code.js";

/** How a quantizer's base codes become its table: the statement, and phrases for doc comments. */
export function semanticIdTableCode(levels: number, codebook: number, collisions: "suffix_token" | "none"): { statement: string; doc: string; fitDoc: string } {
  const suffix = collisions === "suffix_token";
  const tokens = levels + (suffix ? 1 : 0);
  return {
    statement: `return buildSemanticIdTable(codes, ${levels}, ${codebook}, ${literal(collisions)}); // [N + 1, ${tokens}]${suffix ? ": the codes, then the collision suffix" : ""}`,
    doc: suffix
      ? `Semantic ID: the ${levels} codes and a suffix numbering the items that share them.`
      : `Semantic ID: the ${levels} codes (items may share one).`,
    fitDoc: suffix ? `gives each item its ${levels} codes and a collision suffix` : `gives each item its ${levels} codes`,
  };
}

export interface QuantizerParts {
  readonly cls: string;
  readonly declarations: readonly string[];
  readonly make: string;
  readonly exports: readonly string[];
  readonly modelImports: readonly string[];
  readonly modelTypeImports: readonly string[];
}

/** A quantizer's BlockCode: its class, then fitting (train.ts) or restoring its table (infer.ts). */
export function quantizerBlockCode(block: IRBlock, ctx: EmitContext, parts: QuantizerParts): BlockCode {
  const variable = ctx.variable(block.name);
  return {
    block,
    variable,
    type: "Quantizer",
    declarations: parts.declarations,
    exports: parts.exports,
    make: parts.make,
    train: [`await fitSemanticIds(run, ${variable});`],
    restore: [`await restoreSemanticIds(run, ${variable});`],
    modelImports: [...parts.modelImports, "buildSemanticIdTable"],
    modelTypeImports: [...parts.modelTypeImports, "Quantizer", "SemanticIdTable"],
    trainImports: ["fitSemanticIds"],
    restoreImports: ["restoreSemanticIds"],
    disposable: true,
  };
}
