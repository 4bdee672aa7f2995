/**
 * Generated from specs/sid_ranking.recspec by recspec. Edit freely and run with `recspec exec`; `recspec compile` regenerates it.
 * The spec's data sets and models: how each is read or built, its graph, its loss and its scores.
 * recspec content hash: sha256:fcaaeab5783c8c37 — recspec overwrites this file only while it is unedited
 */
import {
  NegativeSampler,
  PAIRS_PER_CALL,
  ParamStore,
  Rng,
  binaryCrossEntropy,
  buildSemanticIdTable,
  catalogueScores,
  dense,
  embedParts,
  itemContentVectors,
  meanPool,
  ngramRepresentation,
  noSemanticIds,
  normal,
  pairFeatures,
  prepareData,
  readAmazon,
  repeatRows,
  residualQuantize,
  resolveDataPath,
  rqVaeCodes,
  tf,
  trainRqVae,
  trainingPairs,
  type Batch,
  type Example,
  type IREvaluation,
  type ItemFeatures,
  type ItemRepresentation,
  type LossContext,
  type PairwiseRanker,
  type PreparedData,
  type Quantizer,
  type RowBudget,
  type RqVaeLoss,
  type RqVaeNetwork,
  type RqVaeTraining,
  type Run,
  type SemanticIdTable,
  type TrainAttributes,
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

/**
 * `features content = content_vectors(…)`: TF-IDF over each item's attributes (or text, when `beauty` has no attributes),
 * reduced to 256 dimensions by a truncated SVD (seed 0), each vector scaled to unit length.
 * Cached under .cache/recspec, so a second run reads it.
 */
export async function loadContent(run: Run, beauty: PreparedData): Promise<ItemFeatures> {
  return itemContentVectors(run, "content", beauty, {
    dim: 256,
    source: "auto",
    normalize: true,
    seed: 0,
  });
}

/**
 * `quantizer sid = rqvae(…)`: the RQ-VAE of TIGER over `content`. Encoder: 256 → 512 → 256 → 128 (relu) → 32;
 * residual quantization over 3 codebooks of 256 codes; decoder: 32 → 128 → 256 → 512 (relu) → 256.
 * Loss: ||x − x̂||² + Σ_levels ||sg[r] − e||² + 0.25·||r − sg[e]||², straight through from ẑ to z.
 * Semantic ID: the 3 codes and a suffix numbering the items that share them.
 */
export class SidQuantizer implements Quantizer, RqVaeNetwork {
  readonly name = "sid";
  readonly method = "rqvae";
  readonly levels = 3;
  readonly codebook = 256;
  readonly inDim = 256;
  readonly latent = 32;
  /** Every weight, initialised from the quantizer's seed (0) and its name. */
  readonly params = new ParamStore(0);
  table: SemanticIdTable | null = null;

  constructor(private readonly features: ItemFeatures) {
    // Build every parameter now, so the optimizer sees the full set from the start.
    tf.tidy(() => {
      this.decode(this.encode(tf.zeros([1, 256])));
      this.codebooks();
    });
  }

  /** Latents z [B, 32] of standardised inputs x [B, 256]. */
  encode(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const encoder = this.params.scope("encoder");
      let h: tf.Tensor = dense(x, encoder.scope("layer0"), 256, 512, { activation: "relu" }); // [B, 512]
      h = dense(h, encoder.scope("layer1"), 512, 256, { activation: "relu" }); // [B, 256]
      h = dense(h, encoder.scope("layer2"), 256, 128, { activation: "relu" }); // [B, 128]
      return dense(h, this.params.scope("to_latent"), 128, 32) as tf.Tensor2D; // [B, 32]
    });
  }

  /** Reconstructions x̂ [B, 256] of latents z [B, 32]: the encoder mirrored. */
  decode(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const decoder = this.params.scope("decoder");
      let h: tf.Tensor = dense(z, decoder.scope("layer0"), 32, 128, { activation: "relu" }); // [B, 128]
      h = dense(h, decoder.scope("layer1"), 128, 256, { activation: "relu" }); // [B, 256]
      h = dense(h, decoder.scope("layer2"), 256, 512, { activation: "relu" }); // [B, 512]
      return dense(h, this.params.scope("to_input"), 512, 256) as tf.Tensor2D; // [B, 256]
    });
  }

  /** The codebook of each level: 3 × [256, 32], drawn from N(0, 1/√32) until training initialises them. */
  codebooks(): tf.Tensor2D[] {
    return Array.from(
      { length: 3 },
      (_, l) =>
        this.params.get(`codebook${l}`, [256, 32], normal(1 / Math.sqrt(32))) as tf.Tensor2D,
    );
  }

  /** Loss of standardised inputs x [B, 256], its terms, and each level's codes. */
  loss(x: tf.Tensor2D): RqVaeLoss {
    let codes: tf.Tensor1D[] = [];
    const terms = tf.tidy(() => {
      const z = this.encode(x); // [B, 32]
      // Each level codes what the levels before it left: codes 3 × [B], ẑ [B, 32].
      const q = residualQuantize(z, this.codebooks());
      codes = q.codes;
      const xHat = this.decode(q.straightThrough); // [B, 256]: ẑ's values, z's gradient
      const reconstruction = tf.div(tf.sum(tf.square(tf.sub(x, xHat))), x.shape[0]) as tf.Scalar; // mean over the batch
      const quantization = tf.add(q.codebookLoss, tf.mul(q.commitmentLoss, 0.25)); // codebook + β · commitment
      return {
        loss: tf.add(reconstruction, quantization) as tf.Scalar,
        reconstruction,
        codebook: q.codebookLoss,
        commitment: q.commitmentLoss,
      };
    });
    return { ...terms, codes };
  }

  /** Trains on `content` as `sidTraining` says, then gives each item its 3 codes and a collision suffix. */
  async fit(log: (line: string) => void): Promise<SemanticIdTable> {
    const { standardization } = await trainRqVae(this, this.features, sidTraining, { log });
    const codes = await rqVaeCodes(this, this.features, standardization); // [N + 1, 3], row 0 −1
    return buildSemanticIdTable(codes, 3, 256, "suffix_token"); // [N + 1, 4]: the codes, then the collision suffix
  }

  dispose(): void {
    this.params.dispose();
  }
}

/** How `sid` trains: adam, batches of 256, 10 epochs; standardised inputs, codebooks initialised by k-means on the first batch, codes unused in an epoch re-seeded. */
export const sidTraining: RqVaeTraining = {
  optimizer: { type: "adam", lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
  schedule: { type: "constant" },
  epochs: 10,
  steps: null,
  batch: 256,
  seed: 0,
  standardize: true,
  kmeansInit: true,
  deadCodeReset: true,
};

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

  /** Users [B, 64] of left-padded histories [B, T], their items' vectors [B·T, 64] looked up unless given. */
  userVectors(histories: Int32Array, count: number, vectors?: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const h = tf.reshape(vectors ?? this.item.embed(histories), [
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
      let x: tf.Tensor = pairFeatures(users, items); // [P, 192]: [u, v, u ⊙ v]
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
      // One lookup for both: the item table then gets one gradient, not two to add.
      const [h, items] = embedParts(this.item, [histories, candidates]); // [B·T, 64], [B·C, 64]
      const users = this.userVectors(histories, count, h); // [B, 64]
      return this.logits(repeatRows(users, candidates.length / count), items); // [B·C]
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
export const rankerTraining: TrainAttributes = {
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
  checkpoint_minutes: 5,
  seed: 0,
};

/** The spec's `evaluate` blocks, every default explicit. */
export const specEvaluations: IREvaluation[] = [
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
    baselines: null,
    bootstrap: 1000,
  },
];
