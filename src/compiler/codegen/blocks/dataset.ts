// `dataset NAME = amazon | movielens | interactions | synthetic (…)`: a loader function in model.ts
// that reads the interactions with the reader the constructor names (or runs the generator), then
// splits them as the block's attributes say. Takes the block; gives its BlockCode.
import type { IRBlock } from "../../../ir/ir.js";
import { interactionsFormat } from "../../../ir/interactions-format.js";
import { literal } from "../literal.js";
import type { Value } from "../../check/types.js";
import { type BlockCode, type EmitContext } from "./block-code.js";

/** The reader call for each dataset constructor; `path(x)` resolves a data path from the run. */
function readStatement(block: IRBlock): { lines: string[]; imports: string[] } {
  const a = block.attributes;
  const path = (v: Value) => `resolveDataPath(${literal(v)}, run.specDir)`;
  switch (block.type) {
    case "amazon":
      return { lines: [`const store = await readAmazon(${path(a.dir)}, ${literal(a.name)});`], imports: ["readAmazon"] };
    case "movielens":
      return { lines: [`const store = await readMovieLens(${path(a.dir)});`], imports: ["readMovieLens"] };
    case "interactions": {
      // The checker refused a path whose format cannot be told (RS5003).
      const read = interactionsFormat(String(a.path), String(a.format))!;
      const columns = `{ user: ${literal(a.user)}, item: ${literal(a.item)}, time: ${literal(a.time)}`;
      if (read.format === "csv") {
        return {
          lines: [`const store = await readInteractionsCsv(${path(a.path)}, ${columns}, delimiter: ${literal(read.delimiter)} });`],
          imports: ["readInteractionsCsv"],
        };
      }
      return { lines: [`const store = await readInteractionsJsonl(${path(a.path)}, ${columns} });`], imports: ["readInteractionsJsonl"] };
    }
    case "synthetic": {
      const options = {
        users: a.users,
        clusters: a.clusters,
        itemsPerCluster: a.items_per_cluster,
        interestsPerUser: a.interests_per_user,
        interestPower: a.interest_power,
        itemPower: a.item_power,
        stay: a.stay,
        switch: a.switch,
        nonInterestStay: a.return,
        length: a.length,
        seed: a.seed,
      };
      return {
        lines: [
          "// The generator's ground truth (clusters, interests) travels with the data for the report.",
          `const synthetic = generateSynthetic(${literal(options as Value)});`,
        ],
        imports: ["generateSynthetic"],
      };
    }
    default:
      throw new Error(`internal: no reader for dataset type ${block.type}`);
  }
}

export function datasetCode(block: IRBlock, ctx: EmitContext): BlockCode {
  const a = block.attributes;
  const loader = ctx.exported("make", block.name, (p) => `load${p}`);
  const read = readStatement(block);
  const split = {
    split: a.split,
    history: a.history,
    window: a.window,
    stride: a.stride,
    coldStart: a.cold_start,
    minLength: a.min_length,
  };
  const loaded = block.type === "synthetic" ? "{ store: synthetic.store, synthetic }" : "{ store }";
  const how = a.split === "leave_last_out" ? "split leave-last-out" : `split into windows of ${a.window} (stride ${a.stride})`;
  const declaration = [
    `/** \`dataset ${block.name} = ${block.type}(…)\`: read, ${how}, histories of the last ${a.history} items. */`,
    `export async function ${loader}(run: Run): Promise<PreparedData> {`,
    ...read.lines,
    `return prepareData(run, ${literal(block.name)}, ${loaded}, ${literal(split as Value)});`,
    "}",
  ].join("\n");
  const usesPath = block.type !== "synthetic";
  return {
    block,
    variable: ctx.variable(block.name),
    type: "PreparedData",
    declarations: [declaration],
    exports: [loader],
    make: `await ${loader}(run)`,
    train: [],
    restore: [],
    modelImports: [...read.imports, "prepareData", ...(usesPath ? ["resolveDataPath"] : [])],
    modelTypeImports: ["PreparedData", "Run"],
    trainImports: [],
    restoreImports: [],
    disposable: false,
  };
}
