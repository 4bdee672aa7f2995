/**
 * Generated from specs/sid_ranking.recspec by recspec — do not edit (run `recspec compile` again).
 * Every block of the spec as data, and a function that loads or builds each.
 */
import {
  buildQuantizer,
  buildRankingModel,
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
    cold_start: 0.05,
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
    optimizer: { type: "adam", lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
    schedule: { type: "constant" },
    epochs: 10,
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

/** `model ranker = ranking(…)`, every default explicit. */
export const rankerConfig: BlockSpec = {
  name: "ranker",
  kind: "model",
  type: "ranking",
  dataset: "beauty",
  attributes: {
    data: { ref: "beauty" },
    item: { type: "semantic_id", ids: { ref: "sid" }, embed: { type: "ngram", n: 2, rows: 32768 } },
    user: { type: "history_pool", history: 20, pool: "mean" },
    embedding: 64,
    layers: [256, 128],
    loss: { type: "logistic", negatives: 4, sampling: "popularity" },
  },
  train: {
    optimizer: { type: "adam", lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
    schedule: { type: "constant" },
    epochs: 3,
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

/** Every block of the spec by name: an experiment passes variants of these. */
export interface Blocks {
  readonly beauty: BlockSpec;
  readonly content: BlockSpec;
  readonly sid: BlockSpec;
  readonly ranker: BlockSpec;
}

/** The blocks as the spec writes them. */
export const specBlocks: Blocks = {
  beauty: beautyConfig,
  content: contentConfig,
  sid: sidConfig,
  ranker: rankerConfig,
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

/** Builds `model ranker = ranking(…)` with freshly initialised weights. */
export function buildRanker(
  blocks: Blocks,
  beauty: PreparedData,
  sid: Quantizer,
  content: ItemFeatures,
): RecModel {
  return buildRankingModel(blocks.ranker, beauty, {
    quantizers: { sid: sid },
    features: { content: content },
  });
}

/** The spec's `evaluate` blocks. */
export const specEvaluations: ProgramEvaluation[] = [
  {
    model: "ranker",
    dataset: "beauty",
    split: "test",
    metrics: [
      { metric: "auc", k: null },
      { metric: "ndcg", k: 10 },
    ],
    slices: [{ type: "all" }, { type: "cold_start" }, { type: "popularity", head: 0.2 }],
    candidates: { type: "sampled", negatives: 99, sampling: "uniform" },
    exclude_history: false,
    baseline: true,
    bootstrap: 1000,
  },
];
