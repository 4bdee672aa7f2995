/**
 * Generated from specs/mur_idw_beauty.recspec by recspec — do not edit (run `recspec compile` again).
 * Every block of the spec as data, and a function that loads or builds each.
 */
import {
  buildTwoTower,
  loadData,
  type BlockSpec,
  type PreparedData,
  type ProgramEvaluation,
  type RecModel,
  type Run,
} from "recspec/runtime";

/** `dataset beauty = amazon(…)`, every default explicit. */
export const beautyConfig: BlockSpec = {
  name: "beauty",
  kind: "dataset",
  type: "amazon",
  dataset: "beauty",
  attributes: {
    dir: "data/amazon-beauty",
    name: "Beauty",
    split: "temporal_window",
    history: 50,
    window: 30,
    stride: 5,
    cold_start: 0,
    min_length: 3,
  },
  train: null,
};

/** `tower items = item_tower(…)`, every default explicit. */
export const itemsConfig: BlockSpec = {
  name: "items",
  kind: "tower",
  type: "item_tower",
  dataset: "beauty",
  attributes: { data: { ref: "beauty" }, embedding: 32, layers: [], output: 32 },
  train: null,
};

/** `tower users = multi_interest(…)`, every default explicit. */
export const usersConfig: BlockSpec = {
  name: "users",
  kind: "tower",
  type: "multi_interest",
  dataset: "beauty",
  attributes: {
    data: { ref: "beauty" },
    embedding: 32,
    attention: { type: "self_attention", layers: 1, heads: 2, dropout: 0 },
    interests: 3,
    output: 32,
    disagreement: 0,
  },
  train: null,
};

/** `model mur = two_tower(…)`, every default explicit. */
export const murConfig: BlockSpec = {
  name: "mur",
  kind: "model",
  type: "two_tower",
  dataset: "beauty",
  attributes: {
    user: { ref: "users" },
    item: { ref: "items" },
    score: "max_interest",
    loss: {
      type: "sampled_softmax",
      negatives: "in_batch",
      count: 100,
      logq: true,
      temperature: 0.1,
    },
    weighting: { type: "none" },
  },
  train: {
    optimizer: { type: "adam", lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
    schedule: { type: "constant" },
    epochs: 4,
    steps: null,
    batch: 512,
    micro_batch: null,
    clip: 0,
    early_stop: { metric: "loss", k: null },
    patience: 2,
    checkpoint_every: 1000,
    seed: 0,
  },
};

/** Every block of the spec by name: an experiment passes variants of these. */
export interface Blocks {
  readonly beauty: BlockSpec;
  readonly items: BlockSpec;
  readonly users: BlockSpec;
  readonly mur: BlockSpec;
}

/** The blocks as the spec writes them. */
export const specBlocks: Blocks = {
  beauty: beautyConfig,
  items: itemsConfig,
  users: usersConfig,
  mur: murConfig,
};

/** Reads and splits `beauty`. */
export function loadBeauty(run: Run, blocks: Blocks): Promise<PreparedData> {
  return loadData(run, blocks.beauty);
}

/** Builds `model mur = two_tower(…)` with freshly initialised weights. */
export function buildMur(blocks: Blocks, beauty: PreparedData): RecModel {
  return buildTwoTower(blocks.mur, { user: blocks.users, item: blocks.items }, beauty);
}

/** The spec's `evaluate` blocks. */
export const specEvaluations: ProgramEvaluation[] = [
  {
    model: "mur",
    dataset: "beauty",
    split: "test",
    metrics: [
      { metric: "hr", k: 10 },
      { metric: "hr", k: 50 },
      { metric: "ndcg", k: 10 },
    ],
    slices: [{ type: "all" }, { type: "popularity", head: 0.2 }],
    candidates: { type: "full" },
    exclude_history: false,
    baseline: true,
    bootstrap: 1000,
  },
];
