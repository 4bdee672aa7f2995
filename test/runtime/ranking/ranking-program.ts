// Compiles a tiny `ranking` spec (a synthetic data set of history 10, the item representation and
// pooling a test asks for) and builds the class its model.ts defines over the given Semantic IDs,
// so runtime tests exercise a ranking model exactly as generated programs hold it. Takes the
// settings, the prepared data and a Semantic-ID table; gives the model.
import type { ForwardContext } from "../../../src/runtime/layers/dropout.js";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import type { Quantizer } from "../../../src/runtime/quantizers/quantizer.js";
import type { SemanticIdTable } from "../../../src/runtime/quantizers/semantic-id-table.js";
import type { ItemRepresentation } from "../../../src/runtime/ranking/item-representations.js";
import type { PairwiseRanker } from "../../../src/runtime/ranking/ranker.js";
import { importGeneratedModel } from "../../helpers/generated-model.js";

export interface RankingSettings {
  /** The `item` option as written in a spec; `sid` names the Semantic IDs. Default `random_id(buckets: 64)`. */
  item?: string;
  pool?: "mean" | "attention";
  /** Default 16. */
  embedding?: number;
  /** Default [32, 16]. */
  layers?: number[];
  seed?: number;
}

export type GeneratedRanker = PairwiseRanker & {
  readonly item: ItemRepresentation;
  pairsPerCall: number;
  userVectors(histories: Int32Array, count: number, ctx?: ForwardContext): import("@tensorflow/tfjs-core").Tensor2D;
};

function specText(s: RankingSettings): string {
  return [
    "spec tiny_ranking",
    "dataset tiny = synthetic { history = 10 }",
    // Levels and codebook of the tables tests build (fixtures.ts clusterSemanticIds).
    "quantizer sid = random_ids(tiny.items) { levels = 2  codebook = 8 }",
    "model ranker = ranking(tiny) {",
    `  item = ${s.item ?? "random_id(buckets: 64)"}`,
    `  user = history_pool(pool: ${s.pool ?? "mean"})`,
    `  embedding = ${s.embedding ?? 16}`,
    `  layers = [${(s.layers ?? [32, 16]).join(", ")}]`,
    "  loss = logistic(negatives: 4, sampling: uniform)",
    `  train { seed = ${s.seed ?? 0} }`,
    "}",
  ].join("\n");
}

/** The generated ranking model of these settings over `data`, its Semantic IDs (when it reads them) `ids`. */
export async function generatedRanker(data: PreparedData, settings: RankingSettings, ids: SemanticIdTable | null = null): Promise<GeneratedRanker> {
  const { exports } = await importGeneratedModel("tiny_ranking.recspec", specText(settings));
  const Ranker = exports.RankerModel as new (data: PreparedData, sid?: Quantizer) => GeneratedRanker;
  // The quantizer as the model reads it: its name and its fitted table.
  const sid = { name: "sid", table: ids } as unknown as Quantizer;
  return new Ranker(data, sid);
}
