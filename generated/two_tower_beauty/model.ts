/**
 * Generated from specs/two_tower_beauty.recspec by recspec — do not edit (run `recspec compile` again).
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
    split: "leave_last_out",
    history: 20,
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
  attributes: { data: { ref: "beauty" }, embedding: 64, layers: [], output: 64 },
  train: null,
};

/** `tower users = sequence_encoder(…)`, every default explicit. */
export const usersConfig: BlockSpec = {
  name: "users",
  kind: "tower",
  type: "sequence_encoder",
  dataset: "beauty",
  attributes: {
    data: { ref: "beauty" },
    embedding: 64,
    encoder: {
      type: "transformer",
      layers: 1,
      heads: 2,
      head_dim: 32,
      d_model: 64,
      d_ff: 128,
      dropout: 0.1,
      causal: true,
      activation: "gelu",
      norm: "pre",
      max_positions: 512,
    },
    output: 64,
  },
  train: null,
};

/** `model retrieval = two_tower(…)`, every default explicit. */
export const retrievalConfig: BlockSpec = {
  name: "retrieval",
  kind: "model",
  type: "two_tower",
  dataset: "beauty",
  attributes: {
    user: { ref: "users" },
    item: { ref: "items" },
    score: "dot",
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
    epochs: 3,
    steps: null,
    batch: 512,
    micro_batch: null,
    clip: 0,
    early_stop: { metric: "recall", k: 10 },
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
  readonly retrieval: BlockSpec;
}

/** The blocks as the spec writes them. */
export const specBlocks: Blocks = {
  beauty: beautyConfig,
  items: itemsConfig,
  users: usersConfig,
  retrieval: retrievalConfig,
};

/** Reads and splits `beauty`. */
export function loadBeauty(run: Run, blocks: Blocks): Promise<PreparedData> {
  return loadData(run, blocks.beauty);
}

/** Builds `model retrieval = two_tower(…)` with freshly initialised weights. */
export function buildRetrieval(blocks: Blocks, beauty: PreparedData): RecModel {
  return buildTwoTower(blocks.retrieval, { user: blocks.users, item: blocks.items }, beauty);
}

/** The spec's `evaluate` blocks. */
export const specEvaluations: ProgramEvaluation[] = [
  {
    model: "retrieval",
    dataset: "beauty",
    split: "test",
    metrics: [
      { metric: "recall", k: 10 },
      { metric: "ndcg", k: 10 },
      { metric: "recall", k: 50 },
    ],
    slices: [{ type: "all" }, { type: "popularity", head: 0.2 }],
    candidates: { type: "full" },
    exclude_history: false,
    baseline: true,
    bootstrap: 1000,
  },
];
