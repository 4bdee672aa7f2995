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
      // Unset `time`: the `timestamp` column if the file has one; `time = ""`: file order.
      const time = a.time === null ? `time: "timestamp", optionalTime: true` : a.time === "" ? "" : `time: ${literal(a.time)}`;
      const rating = a.min_rating === null ? "" : `rating: ${literal(a.rating)}`;
      const columns = `{ ${[`user: ${literal(a.user)}`, `item: ${literal(a.item)}`, time, rating].filter((c) => c !== "").join(", ")}`;
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
        interestDraw: a.interest_draw,
        start: a.start,
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

/** The filter call after the read, when the block sets a rating threshold or a k-core. */
function filterStatement(block: IRBlock): string[] {
  const a = block.attributes;
  // `synthetic` has no filters: its ground truth is indexed by user and item.
  if (block.type === "synthetic") return [];
  const k = (a.k_core as number | null) ?? 1;
  const options = {
    minRating: a.min_rating ?? null,
    minUserInteractions: (a.min_user_interactions as number | null) ?? k,
    minItemInteractions: (a.min_item_interactions as number | null) ?? k,
  };
  if (options.minRating === null && options.minUserInteractions <= 1 && options.minItemInteractions <= 1) return [];
  return [`const filtered = filterData(run, ${literal(block.name)}, store, ${literal(options as Value)});`];
}

export function datasetCode(block: IRBlock, ctx: EmitContext): BlockCode {
  const a = block.attributes;
  const loader = ctx.exported("make", block.name, (p) => `load${p}`);
  const read = readStatement(block);
  const filter = filterStatement(block);
  const shares = a.split === "ratio" || a.split === "random";
  const split = {
    split: a.split,
    history: a.history,
    window: a.window,
    stride: a.stride,
    coldStart: a.cold_start,
    minLength: a.min_length,
    ...(shares ? { validShare: a.valid_share, testShare: a.test_share } : {}),
    ...(a.split === "random" ? { seed: a.split_seed } : {}),
  };
  const loaded = block.type === "synthetic" ? "{ store: synthetic.store, synthetic }" : filter.length > 0 ? "{ store: filtered }" : "{ store }";
  const how = splitWords(a);
  const declaration = [
    `/** \`dataset ${block.name} = ${block.type}(…)\`: read, ${how}, histories of the last ${a.history} items. */`,
    `export async function ${loader}(run: Run): Promise<PreparedData> {`,
    ...read.lines,
    ...filter,
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
    modelImports: [...read.imports, "prepareData", ...(usesPath ? ["resolveDataPath"] : []), ...(filter.length > 0 ? ["filterData"] : [])],
    modelTypeImports: ["PreparedData", "Run"],
    trainImports: [],
    restoreImports: [],
    disposable: false,
  };
}

/** The split in words, for the loader's doc comment. */
function splitWords(a: Record<string, Value>): string {
  const pct = (x: Value) => `${Math.round((x as number) * 1000) / 10}%`;
  switch (a.split) {
    case "leave_last_out":
      return "split leave-last-out";
    case "ratio":
      return `split by time per user (last ${pct(a.test_share)} test, ${pct(a.valid_share)} before it validation)`;
    case "random":
      return `split at random per user (${pct(a.test_share)} test, ${pct(a.valid_share)} validation, seed ${a.split_seed})`;
    default:
      return `split into windows of ${a.window} (stride ${a.stride})`;
  }
}
