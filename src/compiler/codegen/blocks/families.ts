// The block families the runtime still builds from their IR data (features, quantizers): each is a
// BlockSpec constant plus a maker that passes it, with the blocks it refers to, to the family's
// builder.
// Takes a block; gives its BlockCode.
import type { IRBlock } from "../../../ir/ir.js";
import { type BlockCode, type EmitContext, refName } from "./block-code.js";
import { configuredCode } from "./configured.js";

const none = () => [];

export function featuresCode(block: IRBlock, ctx: EmitContext): BlockCode {
  const data = ctx.variable(block.dataset);
  return configuredCode(block, ctx, {
    type: "ItemFeatures",
    verb: "load",
    params: [{ name: "run", type: "Run" }, { name: data, type: "PreparedData" }],
    body: (config) => `return loadFeatures(run, ${config}, ${data});`,
    doc: `Computes (or reads from the cache) the item vectors of \`${block.name}\`.`,
    runtime: ["loadFeatures"],
    train: none,
    restore: none,
    trainImports: [],
    restoreImports: [],
    disposable: false,
  });
}

export function quantizerCode(block: IRBlock, ctx: EmitContext): BlockCode {
  const data = ctx.variable(block.dataset);
  const features = block.type === "random_ids" ? null : ctx.variable(refName(block.attributes.features));
  const variable = ctx.variable(block.name);
  return configuredCode(block, ctx, {
    type: "Quantizer",
    verb: "build",
    params: [{ name: data, type: "PreparedData" }, ...(features ? [{ name: features, type: "ItemFeatures" }] : [])],
    body: (config) => `return buildQuantizer(${config}, ${data}, ${features ?? "null"});`,
    doc: `Builds the quantizer \`${block.name}\` (${block.type}); training gives every item its Semantic ID.`,
    runtime: ["buildQuantizer"],
    train: (config) => [`await trainQuantizer(run, ${variable}, ${config}, ${features ?? "null"}, ${data}.numItems);`],
    restore: (config) => [`await restoreQuantizer(run, ${variable}, ${config});`],
    trainImports: ["trainQuantizer"],
    restoreImports: ["restoreQuantizer"],
    disposable: true,
  });
}
