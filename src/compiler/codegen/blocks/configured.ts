// Shared shape of blocks whose graph is still built inside the runtime from the block's IR data:
// the block as a `BlockSpec` constant in model.ts plus a maker function that hands it, and the
// values of the blocks it depends on, to one runtime builder. Takes the parts; gives the BlockCode.
import type { IRBlock } from "../../../ir/ir.js";
import { literal } from "../literal.js";
import type { Value } from "../../check/types.js";
import { type BlockCode, type EmitContext, describe } from "./block-code.js";

/** `export const NAMEConfig: BlockSpec = {…}` for a block, every default explicit. */
export function blockConstant(block: IRBlock, ctx: EmitContext): { name: string; text: string } {
  const name = ctx.exported("config", block.name, (_p, c) => `${c}Config`);
  const record = { name: block.name, kind: block.kind, type: block.type, dataset: block.dataset, attributes: block.attributes, train: block.train };
  return { name, text: `/** ${describe(block)}, every default explicit. */\nexport const ${name}: BlockSpec = ${literal(record as unknown as Value)};` };
}

export interface ConfiguredParts {
  readonly type: string;
  readonly verb: "build" | "load";
  /** Parameters of the maker: name and type; arguments are the same names in train.ts. */
  readonly params: readonly { name: string; type: string }[];
  /** The maker's body, given the config constant's name. */
  readonly body: (config: string) => string;
  readonly doc: string;
  readonly runtime: readonly string[];
  readonly train: (config: string) => string[];
  readonly restore: (config: string) => string[];
  readonly trainImports: readonly string[];
  readonly restoreImports: readonly string[];
  readonly disposable: boolean;
}

export function configuredCode(block: IRBlock, ctx: EmitContext, parts: ConfiguredParts): BlockCode {
  const config = blockConstant(block, ctx);
  const maker = ctx.exported("make", block.name, (p) => `${parts.verb}${p}`);
  const async = parts.verb === "load";
  const returns = async ? `Promise<${parts.type}>` : parts.type;
  const fn = [
    `/** ${parts.doc} */`,
    `export ${async ? "async " : ""}function ${maker}(${parts.params.map((p) => `${p.name}: ${p.type}`).join(", ")}): ${returns} {`,
    parts.body(config.name),
    "}",
  ].join("\n");
  return {
    block,
    variable: ctx.variable(block.name),
    type: parts.type,
    declarations: [config.text, fn],
    exports: [maker, config.name],
    make: `${async ? "await " : ""}${maker}(${parts.params.map((p) => p.name).join(", ")})`,
    train: parts.train(config.name),
    restore: parts.restore(config.name),
    modelImports: parts.runtime,
    modelTypeImports: ["BlockSpec", ...new Set(parts.params.map((p) => p.type)), parts.type],
    trainImports: parts.trainImports,
    restoreImports: parts.restoreImports,
    disposable: parts.disposable,
  };
}
