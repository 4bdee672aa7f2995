/**
 * Generated from specs/sid_ranking.recspec by recspec. Edit freely and run with `recspec exec`; `recspec compile` regenerates it.
 * The spec's data sets and models: how each is read or built, its graph, its loss and its scores.
 * recspec content hash: sha256:e8cd9c05718569d6 — recspec overwrites this file only while it is unedited
 */
import {
  NegativeSampler,
  PAIRS_PER_CALL,
  ParamStore,
  Rng,
  binaryCrossEntropy,
  buildQuantizer,
  catalogueScores,
  dense,
  loadFeatures,
  meanPool,
  ngramRepresentation,
  noSemanticIds,
  prepareData,
  readAmazon,
  repeatRows,
  resolveDataPath,
  tf,
  trainingPairs,
  type Batch,
  type BlockSpec,
  type Example,
  type ItemFeatures,
  type ItemRepresentation,
  type LossContext,
  type PairwiseRanker,
  type PreparedData,
  type ProgramEvaluation,
  type Quantizer,
  type RowBudget,
  type Run,
  type TrainSpec,
  type TrainingPairs,
} from "recspec/runtime";

/** `dataset beauty = amazon(…)`: read, split leave-last-out, histories of the last 20 items. */
export async function loadBeauty(run: Run): Promise<PreparedData> {
  const store = await readAmazon(resolveDataPath("data/amazon-beauty", run.specDir), "Beauty");
  return prepareData(
    run,
    "beauty",
    { store },
    { split: "leave_last_out", history: 20, window: 30, stride: 5, coldStart: 0.05, minLength: 3 },
  );
}

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

/** Computes (or reads from the cache) the item vectors of `content`. */
export async function loadContent(run: Run, beauty: PreparedData): Promise<ItemFeatures> {
  return loadFeatures(run, contentConfig, beauty);
}

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

/** Builds the quantizer `sid` (rqvae); training gives every item its Semantic ID. */
export function buildSid(beauty: PreparedData, content: ItemFeatures): Quantizer {
  return buildQuantizer(sidConfig, beauty, content);
}

/**
 * `model ranker = ranking(…)`: a pointwise ranker of (user, item) pairs over `beauty`.
 * Items: semantic_id(ngram(n: 2, rows: 32768)) of `sid`'s codes: 2 tables [32768, 64], one per position, each 2-gram's rows summed.
 * Users: the mean of their last 20 items' vectors.
 * Logit: MLP([u, v, u ⊙ v]) through 256, 128 (ReLU) to 1; loss: logistic, each positive
 * against 4 negatives drawn ∝ training frequency among the training items.
 */
export class RankerModel implements PairwiseRanker {
  readonly name = "ranker";
  /** Every weight, initialised from the training seed (0) and its name. */
  readonly params = new ParamStore(0);
  readonly numItems: number;
  readonly historyLength = 20;
  /** Every prefix of each training sequence, predicting its next item. */
  readonly trainingExamples: readonly Example[];
  /** Item id → vector [n, 64] (the padding item 0 → zeros), shared by candidates and histories. */
  readonly item: ItemRepresentation;
  /** (user, item) pairs per MLP call when scoring the catalogue (bounds the activations). */
  pairsPerCall = PAIRS_PER_CALL;
  private readonly sampler: NegativeSampler;

  constructor(data: PreparedData, sid: Quantizer) {
    this.numItems = data.numItems;
    this.trainingExamples = data.trainTargets;
    this.item = ngramRepresentation(sid.table ?? noSemanticIds("ranker", "sid"), 2, 32768, {
      numItems: data.numItems,
      dim: 64,
      params: this.params.scope("item"),
      itemCounts: data.trainCounts,
    });
    // Cold items are never drawn: they stay untrained, as at serving time.
    this.sampler = new NegativeSampler(data.trainCounts, data.coldMask, "popularity");
    // Build every parameter now, so the trainer and checkpoints see the full set from the start.
    tf.tidy(() => {
      this.logits(
        this.userVectors(new Int32Array(20).fill(1), 1),
        this.item.embed(new Int32Array([1])),
      );
    });
  }

  /** The item representation's table budget (rows, parameters). */
  get budget(): RowBudget {
    return this.item.budget;
  }

  /** Users [B, 64] of left-padded histories [B, T]. */
  userVectors(histories: Int32Array, count: number): tf.Tensor2D {
    return tf.tidy(() => {
      const h = tf.reshape(this.item.embed(histories), [
        count,
        histories.length / count,
        64,
      ]) as tf.Tensor3D; // [B, T, 64]
      return meanPool(h, histories, count); // [B, 64]
    });
  }

  /** Logits [P] of P (user, item) pairs: users [P, 64], items [P, 64]. */
  logits(users: tf.Tensor2D, items: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => {
      const mlp = this.params.scope("mlp");
      let x: tf.Tensor = tf.concat([users, items, tf.mul(users, items)], 1); // [P, 192]
      x = dense(x, mlp.scope("layer0"), 192, 256, { activation: "relu" }); // [P, 256]
      x = dense(x, mlp.scope("layer1"), 256, 128, { activation: "relu" }); // [P, 128]
      x = dense(x, mlp.scope("layer2"), 128, 1); // [P, 1]
      return tf.reshape(x, [-1]) as tf.Tensor1D; // [P]
    });
  }

  /** Mean logistic loss over each example's positive (label 1) and its 4 negatives (label 0). */
  loss(batch: Batch, ctx: LossContext): tf.Scalar {
    const { candidates, labels } = this.trainingCandidates(batch, ctx);
    return tf.tidy(() =>
      binaryCrossEntropy(
        this.candidateLogits(batch.histories, batch.size, candidates),
        tf.tensor1d(labels),
      ),
    );
  }

  /** Per example its target then 4 drawn negatives: [B·5] candidates and labels. */
  trainingCandidates(batch: Batch, ctx: LossContext): TrainingPairs {
    return trainingPairs(
      batch.targets,
      batch.size,
      4,
      this.sampler,
      (ctx.rng ?? new Rng(0)).fork("negatives"),
    );
  }

  /** Logits [B·C] of B histories, each against its C consecutive candidates. */
  candidateLogits(histories: Int32Array, count: number, candidates: Int32Array): tf.Tensor1D {
    return tf.tidy(() => {
      const users = this.userVectors(histories, count); // [B, 64]
      return this.logits(repeatRows(users, candidates.length / count), this.item.embed(candidates)); // [B·C]
    });
  }

  lossWeight(batch: Batch): number {
    return batch.size;
  }

  /** Peak bytes of one training step: ~3 copies of each pair's activations, and the history lookups. */
  stepBytes(batch: Batch): number {
    return batch.size * 5 * 576 * 4 * 3 + batch.size * batch.length * 64 * 4 * 4 * 3;
  }

  /** Scores [B, N + 1] of every item, the MLP run over chunks of items. */
  scoreItems(histories: Int32Array, count: number): tf.Tensor2D {
    return tf.tidy(() => {
      const users = this.userVectors(histories, count); // [B, 64]
      const items = this.item.embed(Int32Array.from({ length: this.numItems + 1 }, (_, i) => i)); // [N + 1, 64]
      return catalogueScores(users, items, (u, v) => this.logits(u, v), this.pairsPerCall);
    });
  }

  /** Scores [B, M] of each history against its own M candidates (candidates [B, M]). */
  scoreCandidates(histories: Int32Array, count: number, candidates: Int32Array): tf.Tensor2D {
    const m = candidates.length / count;
    return tf.tidy(() => {
      const users = repeatRows(this.userVectors(histories, count), m); // [B·M, 64]
      return tf.reshape(this.logits(users, this.item.embed(candidates)), [count, m]) as tf.Tensor2D;
    });
  }

  dispose(): void {
    this.item.dispose();
    this.params.dispose();
  }
}

/** How `ranker` trains: adam, batches of 1024, 3 epochs. */
export const rankerTraining: TrainSpec = {
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
};

/** The spec's `evaluate` blocks, every default explicit. */
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
