/**
 * Generated from specs/tiger_beauty.recspec by recspec — do not edit (run `recspec compile` again).
 * Every block of the spec as data, and a function that loads or builds each.
 */
import {
  buildGenerative,
  buildQuantizer,
  buildSequential,
  loadData,
  loadFeatures,
  type BlockSpec,
  type ItemFeatures,
  type PreparedData,
  type ProgramEvaluation,
  type Quantizer,
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

/** `features content = content_vectors(…)`, every default explicit. */
export const contentConfig: BlockSpec = {
  name: "content",
  kind: "features",
  type: "content_vectors",
  dataset: "beauty",
  attributes: {
    items: { ref: "beauty", member: "items" },
    method: "tfidf_svd",
    dim: 256,
    source: "auto",
    normalize: true,
    seed: 0,
  },
  train: null,
};

/** `quantizer sid = rqvae(…)`, every default explicit. */
export const sidConfig: BlockSpec = {
  name: "sid",
  kind: "quantizer",
  type: "rqvae",
  dataset: "beauty",
  attributes: {
    features: { ref: "content" },
    encoder: { type: "mlp", layers: [512, 256, 128], activation: "relu", dropout: 0 },
    latent: 32,
    levels: 3,
    codebook: 256,
    collisions: "suffix_token",
    seed: 0,
    beta: 0.25,
    init: "kmeans",
    standardize: true,
    dead_code_reset: true,
  },
  train: {
    optimizer: {
      type: "adamw",
      lr: 0.001,
      weight_decay: 0.0001,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
    },
    schedule: { type: "constant" },
    epochs: 200,
    steps: null,
    batch: 1024,
    micro_batch: null,
    clip: 0,
    early_stop: null,
    patience: 3,
    checkpoint_every: 1000,
    seed: 0,
  },
};

/** `quantizer random_sid = random_ids(…)`, every default explicit. */
export const randomSidConfig: BlockSpec = {
  name: "random_sid",
  kind: "quantizer",
  type: "random_ids",
  dataset: "beauty",
  attributes: {
    items: { ref: "beauty", member: "items" },
    levels: 3,
    codebook: 256,
    collisions: "suffix_token",
    seed: 0,
  },
  train: null,
};

/** `quantizer lsh_sid = lsh(…)`, every default explicit. */
export const lshSidConfig: BlockSpec = {
  name: "lsh_sid",
  kind: "quantizer",
  type: "lsh",
  dataset: "beauty",
  attributes: {
    features: { ref: "content" },
    levels: 3,
    codebook: 256,
    collisions: "suffix_token",
    seed: 0,
  },
  train: null,
};

/** `model tiger = generative(…)`, every default explicit. */
export const tigerConfig: BlockSpec = {
  name: "tiger",
  kind: "model",
  type: "generative",
  dataset: "beauty",
  attributes: {
    data: { ref: "beauty" },
    ids: { ref: "sid" },
    encoder: {
      type: "transformer",
      layers: 2,
      heads: 2,
      head_dim: 32,
      d_model: 64,
      d_ff: 256,
      dropout: 0.1,
      causal: false,
      activation: "gelu",
      norm: "pre",
      max_positions: 512,
    },
    decoder: {
      type: "transformer",
      layers: 2,
      heads: 2,
      head_dim: 32,
      d_model: 64,
      d_ff: 256,
      dropout: 0.1,
      causal: false,
      activation: "gelu",
      norm: "pre",
      max_positions: 512,
    },
    user: { type: "hashed", buckets: 2000 },
    decode: { type: "beam", width: 20, constrain: "trie" },
    cold_start_share: 0.1,
  },
  train: {
    optimizer: { type: "adam", lr: 0.004, beta1: 0.9, beta2: 0.98, eps: 1e-8 },
    schedule: { type: "inverse_sqrt", warmup: 200 },
    epochs: null,
    steps: 2400,
    batch: 256,
    micro_batch: null,
    clip: 0,
    early_stop: null,
    patience: 3,
    checkpoint_every: 1000,
    seed: 0,
  },
};

/** `model sasrec = sequential(…)`, every default explicit. */
export const sasrecConfig: BlockSpec = {
  name: "sasrec",
  kind: "model",
  type: "sequential",
  dataset: "beauty",
  attributes: {
    data: { ref: "beauty" },
    embedding: 64,
    encoder: {
      type: "transformer",
      layers: 2,
      heads: 2,
      head_dim: 32,
      d_model: 64,
      d_ff: 256,
      dropout: 0.2,
      causal: true,
      activation: "gelu",
      norm: "pre",
      max_positions: 512,
    },
    loss: { type: "softmax", label_smoothing: 0 },
    positions: "all",
  },
  train: {
    optimizer: { type: "adam", lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
    schedule: { type: "constant" },
    epochs: 4,
    steps: null,
    batch: 256,
    micro_batch: null,
    clip: 0,
    early_stop: null,
    patience: 3,
    checkpoint_every: 1000,
    seed: 0,
  },
};

/** Every block of the spec by name: an experiment passes variants of these. */
export interface Blocks {
  readonly beauty: BlockSpec;
  readonly content: BlockSpec;
  readonly sid: BlockSpec;
  readonly randomSid: BlockSpec;
  readonly lshSid: BlockSpec;
  readonly tiger: BlockSpec;
  readonly sasrec: BlockSpec;
}

/** The blocks as the spec writes them. */
export const specBlocks: Blocks = {
  beauty: beautyConfig,
  content: contentConfig,
  sid: sidConfig,
  randomSid: randomSidConfig,
  lshSid: lshSidConfig,
  tiger: tigerConfig,
  sasrec: sasrecConfig,
};

/** Reads and splits `beauty`. */
export function loadBeauty(run: Run, blocks: Blocks): Promise<PreparedData> {
  return loadData(run, blocks.beauty);
}

/** Computes (or reads from the cache) the item vectors of `content`. */
export function loadContent(run: Run, blocks: Blocks, beauty: PreparedData): Promise<ItemFeatures> {
  return loadFeatures(run, blocks.content, beauty);
}

/** Builds the quantizer `sid` (rqvae); training gives every item its Semantic ID. */
export function buildSid(blocks: Blocks, beauty: PreparedData, content: ItemFeatures): Quantizer {
  return buildQuantizer(blocks.sid, beauty, content);
}

/** Builds the quantizer `random_sid` (random_ids); training gives every item its Semantic ID. */
export function buildRandomSid(blocks: Blocks, beauty: PreparedData): Quantizer {
  return buildQuantizer(blocks.randomSid, beauty, null);
}

/** Builds the quantizer `lsh_sid` (lsh); training gives every item its Semantic ID. */
export function buildLshSid(
  blocks: Blocks,
  beauty: PreparedData,
  content: ItemFeatures,
): Quantizer {
  return buildQuantizer(blocks.lshSid, beauty, content);
}

/** Builds `model tiger = generative(…)` with freshly initialised weights. */
export function buildTiger(
  blocks: Blocks,
  beauty: PreparedData,
  sid: Quantizer,
  randomSid: Quantizer,
  lshSid: Quantizer,
): RecModel {
  return buildGenerative(blocks.tiger, beauty, {
    sid: sid,
    random_sid: randomSid,
    lsh_sid: lshSid,
  });
}

/** Builds `model sasrec = sequential(…)` with freshly initialised weights. */
export function buildSasrec(blocks: Blocks, beauty: PreparedData): RecModel {
  return buildSequential(blocks.sasrec, beauty);
}

/** The spec's `evaluate` blocks. */
export const specEvaluations: ProgramEvaluation[] = [
  {
    model: "tiger",
    dataset: "beauty",
    split: "test",
    metrics: [
      { metric: "recall", k: 5 },
      { metric: "recall", k: 10 },
      { metric: "ndcg", k: 5 },
      { metric: "ndcg", k: 10 },
    ],
    slices: [{ type: "all" }, { type: "popularity", head: 0.2 }],
    candidates: { type: "full" },
    exclude_history: false,
    baseline: true,
    bootstrap: 1000,
  },
  {
    model: "sasrec",
    dataset: "beauty",
    split: "test",
    metrics: [
      { metric: "recall", k: 5 },
      { metric: "recall", k: 10 },
      { metric: "ndcg", k: 5 },
      { metric: "ndcg", k: 10 },
    ],
    slices: [{ type: "all" }, { type: "popularity", head: 0.2 }],
    candidates: { type: "full" },
    exclude_history: false,
    baseline: true,
    bootstrap: 1000,
  },
];
