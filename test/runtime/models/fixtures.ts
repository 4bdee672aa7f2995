// Shared fixture for model and pipeline tests: a tiny synthetic data set, generated and prepared
// through the same runtime calls a generated program's loader makes, small enough for the cpu
// backend. Overrides are the `synthetic` dataset block's IR attributes.
import type { SyntheticAttributes } from "../../../src/ir/index.js";
import { generateSynthetic } from "../../../src/runtime/data/synthetic.js";
import { prepareInteractions, type PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import { buildSemanticIdTable, type SemanticIdTable } from "../../../src/runtime/quantizers/semantic-id-table.js";

const TINY: SyntheticAttributes = {
  users: 300,
  clusters: 5,
  items_per_cluster: 10,
  interests_per_user: 2,
  interest_power: 0,
  item_power: 1.0,
  stay: 0.9,
  switch: 0.1,
  return: 0,
  interest_draw: "distinct",
  start: "interest",
  length: 12,
  seed: 3,
  content: false,
  split: "leave_last_out",
  history: 10,
  window: 30,
  stride: 5,
  cold_start: 0,
  min_length: 3,
  valid_share: 0.1,
  test_share: 0.1,
  split_seed: 0,
};

/** Markov-like synthetic users: strong stay probability, so the next item is predictable. */
export async function tinyData(overrides: Partial<SyntheticAttributes> = {}): Promise<PreparedData> {
  const a = { ...TINY, ...overrides };
  const synthetic = generateSynthetic(
    {
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
    },
    "tiny",
  );
  return prepareInteractions(
    "tiny",
    { store: synthetic.store, synthetic },
    {
      split: a.split,
      history: a.history,
      window: a.window,
      stride: a.stride,
      coldStart: a.cold_start,
      minLength: a.min_length,
    },
  );
}

/** Hand-made Semantic IDs of tinyData's items: (cluster, rank − 1), plus the collision suffix. */
export function clusterRankIds(data: PreparedData): SemanticIdTable {
  const syn = data.synthetic!;
  const base = new Int32Array((data.numItems + 1) * 2).fill(-1);
  for (let i = 1; i <= data.numItems; i++) {
    base[i * 2] = syn.itemCluster[i];
    base[i * 2 + 1] = syn.itemRank[i] - 1;
  }
  return buildSemanticIdTable(base, 2, 10, "suffix_token");
}
