/**
 * Generated from specs/mur_idw.recspec by recspec — do not edit (run `recspec compile` again).
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

/** `dataset synth = synthetic(…)`, every default explicit. */
export const synthConfig: BlockSpec = {
  name: "synth",
  kind: "dataset",
  type: "synthetic",
  dataset: "synth",
  attributes: {
    users: 3000,
    clusters: 5,
    items_per_cluster: 10,
    interests_per_user: 3,
    interest_power: 1,
    item_power: 0.5,
    stay: 0.6,
    switch: 0.3,
    return: 0.5,
    length: 20,
    seed: 7,
    content: true,
    split: "leave_last_out",
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
  dataset: "synth",
  attributes: { data: { ref: "synth" }, embedding: 16, layers: [], output: 16 },
  train: null,
};

/** `tower users = multi_interest(…)`, every default explicit. */
export const usersConfig: BlockSpec = {
  name: "users",
  kind: "tower",
  type: "multi_interest",
  dataset: "synth",
  attributes: {
    data: { ref: "synth" },
    embedding: 16,
    attention: { type: "self_attention", layers: 1, heads: 1, dropout: 0 },
    interests: 3,
    output: 16,
    disagreement: 0,
  },
  train: null,
};

/** `model mur = two_tower(…)`, every default explicit. */
export const murConfig: BlockSpec = {
  name: "mur",
  kind: "model",
  type: "two_tower",
  dataset: "synth",
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
    weighting: {
      type: "idw",
      momentum: 0.8,
      tolerance: 0.0002,
      iterations: 5,
      epochs: 5,
      sample: 10000,
      noise: 0.1,
      calibrate: "user_tower",
    },
  },
  train: {
    optimizer: { type: "adam", lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
    schedule: { type: "constant" },
    epochs: 10,
    steps: null,
    batch: 128,
    micro_batch: null,
    clip: 0,
    early_stop: { metric: "loss", k: null },
    patience: 5,
    checkpoint_every: 1000,
    seed: 0,
  },
};

/** Every block of the spec by name: an experiment passes variants of these. */
export interface Blocks {
  readonly synth: BlockSpec;
  readonly items: BlockSpec;
  readonly users: BlockSpec;
  readonly mur: BlockSpec;
}

/** The blocks as the spec writes them. */
export const specBlocks: Blocks = {
  synth: synthConfig,
  items: itemsConfig,
  users: usersConfig,
  mur: murConfig,
};

/** Reads and splits `synth`. */
export function loadSynth(run: Run, blocks: Blocks): Promise<PreparedData> {
  return loadData(run, blocks.synth);
}

/** Builds `model mur = two_tower(…)` with freshly initialised weights. */
export function buildMur(blocks: Blocks, synth: PreparedData): RecModel {
  return buildTwoTower(blocks.mur, { user: blocks.users, item: blocks.items }, synth);
}

/** The spec's `evaluate` blocks. */
export const specEvaluations: ProgramEvaluation[] = [
  {
    model: "mur",
    dataset: "synth",
    split: "test",
    metrics: [
      { metric: "hr", k: 10 },
      { metric: "ndcg", k: 10 },
    ],
    slices: [{ type: "all" }, { type: "popularity", head: 0.2 }],
    candidates: { type: "full" },
    exclude_history: false,
    baseline: true,
    bootstrap: 1000,
  },
];
