/**
 * Generated from specs/tiger_beauty.recspec by recspec. Edit freely and run with `recspec exec`; `recspec compile` regenerates it.
 * The spec's data sets and models: how each is read or built, its graph, its loss and its scores.
 * recspec content hash: sha256:45a40d11f135ea29 — recspec overwrites this file only while it is unedited
 */
import {
  INFERENCE,
  IncrementalDecoder,
  ParamStore,
  Rng,
  SemanticIdRetrieval,
  buildSemanticIdTable,
  decoderBiases,
  decoderLayer,
  decoderPositions,
  dense,
  dropout,
  encoderBias,
  encoderLayer,
  generativeStepBytes,
  itemContentVectors,
  layerNorm,
  lshCodes,
  normal,
  prepareData,
  randomIdCodes,
  readAmazon,
  residualQuantize,
  resolveDataPath,
  rqVaeCodes,
  semanticIdLayout,
  semanticIdsFor,
  slidingTargets,
  softmaxCrossEntropy,
  sourceTokens,
  targetCount,
  targetPositions,
  teacherForcing,
  tf,
  trainRqVae,
  transformerStepBytes,
  trimHistories,
  usedLength,
  type Batch,
  type EncodedSequence,
  type Example,
  type ForwardContext,
  type IREvaluation,
  type ItemFeatures,
  type LossContext,
  type PreparedData,
  type Quantizer,
  type RecModel,
  type RqVaeLoss,
  type RqVaeNetwork,
  type RqVaeTraining,
  type Run,
  type SemanticIdLayout,
  type SemanticIdTable,
  type Seq2SeqDecoding,
  type TrainAttributes,
  type TransformerConfig,
} from "recspec/runtime";

/** `dataset beauty = amazon(…)`: read, split leave-last-out, histories of the last 20 items. */
export async function loadBeauty(run: Run): Promise<PreparedData> {
  const store = await readAmazon(resolveDataPath("data/amazon-beauty", run.specDir), "Beauty");
  return prepareData(
    run,
    "beauty",
    { store },
    { split: "leave_last_out", history: 20, window: 30, stride: 5, coldStart: 0, minLength: 3 },
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

/** How `sid` trains: adamw, batches of 1024, 200 epochs; standardised inputs, codebooks initialised by k-means on the first batch, codes unused in an epoch re-seeded. */
export const sidTraining: RqVaeTraining = {
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
  seed: 0,
  standardize: true,
  kmeansInit: true,
  deadCodeReset: true,
};

/**
 * `quantizer random_sid = random_ids(…)`: random codes, the baseline for Semantic IDs: each of an item's 3 codes uniform in [0, 256) (seed 0), whatever its content.
 * Semantic ID: the 3 codes and a suffix numbering the items that share them.
 */
export class RandomSidQuantizer implements Quantizer {
  readonly name = "random_sid";
  readonly method = "random_ids";
  readonly levels = 3;
  readonly codebook = 256;
  table: SemanticIdTable | null = null;

  constructor(private readonly numItems: number) {}

  /** Draws every item's codes, then gives each item its 3 codes and a collision suffix. */
  fit(): SemanticIdTable {
    const codes = randomIdCodes(this.numItems, 3, 256, 0); // [N + 1, 3], row 0 −1
    return buildSemanticIdTable(codes, 3, 256, "suffix_token"); // [N + 1, 4]: the codes, then the collision suffix
  }

  dispose(): void {}
}

/**
 * `quantizer lsh_sid = lsh(…)`: locality-sensitive hashing of `content`. Each level draws 8 random hyperplanes (seed 0) through the items' mean; an item's code sets bit j when it lies on hyperplane j's positive side.
 * Semantic ID: the 3 codes and a suffix numbering the items that share them.
 */
export class LshSidQuantizer implements Quantizer {
  readonly name = "lsh_sid";
  readonly method = "lsh";
  readonly levels = 3;
  readonly codebook = 256;
  table: SemanticIdTable | null = null;

  constructor(private readonly features: ItemFeatures) {}

  /** Hashes every item's vector, then gives each item its 3 codes and a collision suffix. */
  fit(): SemanticIdTable {
    const codes = lshCodes(this.features, 3, 256, 0); // [N + 1, 3], row 0 −1
    return buildSemanticIdTable(codes, 3, 256, "suffix_token"); // [N + 1, 4]: the codes, then the collision suffix
  }

  dispose(): void {}
}

/** The encoder of `tiger`: 2 pre-LN transformer layers (2 heads of 32, d_model 64, d_ff 256, gelu, dropout 0.1). */
const tigerEncoder: TransformerConfig = {
  layers: 2,
  heads: 2,
  headDim: 32,
  dModel: 64,
  dFF: 256,
  dropout: 0.1,
  causal: false,
  activation: "gelu",
  norm: "pre",
};

/** The decoder of `tiger`: 2 pre-LN transformer layers (2 heads of 32, d_model 64, d_ff 256, gelu, causal, dropout 0.1), each layer also cross-attending over the encoder's output. */
const tigerDecoder: TransformerConfig = {
  layers: 2,
  heads: 2,
  headDim: 32,
  dModel: 64,
  dFF: 256,
  dropout: 0.1,
  causal: true,
  activation: "gelu",
  norm: "pre",
};

/**
 * `model tiger = generative(…)`: TIGER over the Semantic IDs of `sid`. The encoder reads a hashed user token and the
 * last 20 items' ID tokens; the decoder writes the next item's ID token by token, each position scored
 * against its own level's rows of the tied token table. Items are ranked by beam search (20 beams, constrained to IDs of items seen in training).
 */
export class TigerModel implements RecModel, Seq2SeqDecoding {
  readonly name = "tiger";
  /** Every weight, initialised from the training seed (0) and its name. */
  readonly params = new ParamStore(0);
  readonly numItems: number;
  readonly historyLength = 20;
  /** One example per training target: every prefix of every training history, and the item after it. */
  readonly trainingExamples: readonly Example[];
  /**
   * The vocabulary: 0 pad, 1 decoder start, 2 reserved, then level l's codes from offsets[l] (the
   * collision suffix last), then 2000 user buckets.
   */
  readonly layout: SemanticIdLayout;
  /** Beam search over the decoder; cold items join by their decoded prefix, at most 0.1 of a list. */
  readonly retrieval: SemanticIdRetrieval;

  constructor(data: PreparedData, sid: Quantizer) {
    this.numItems = data.numItems;
    this.trainingExamples = slidingTargets(data.split.train);
    this.layout = semanticIdLayout(semanticIdsFor("tiger", sid, data), 2000);
    const sourceMax = 1 + 20 * this.layout.tokensPerItem;
    if (sourceMax > 512) {
      throw new Error(
        `model tiger: the input has up to ${sourceMax} tokens, more than max_positions 512`,
      );
    }
    this.retrieval = new SemanticIdRetrieval(this.layout, data, {
      width: 20,
      constrained: true,
      coldStartShare: 0.1,
    });
    // Build every parameter now, so the trainer and checkpoints see the full set from the start.
    tf.tidy(() => {
      const batch: Batch = {
        size: 1,
        length: 20,
        users: Int32Array.of(0),
        histories: new Int32Array(20).fill(1),
        targets: Int32Array.of(1),
      };
      this.loss(batch, { training: false });
    });
  }

  /** [V, 64]: one row per token of the layout; also the output layer. */
  tokenTable(): tf.Tensor2D {
    return this.params.get("tokens", [this.layout.vocabulary, 64], normal(0.05)) as tf.Tensor2D;
  }

  /** Encoder output [B, S, 64] and the source mask [B, S]: S = 1 + (used columns) × tokens per item. */
  encode(
    histories: Int32Array,
    count: number,
    users: Int32Array | undefined,
    ctx: ForwardContext = INFERENCE,
  ): { memory: tf.Tensor3D; mask: tf.Tensor2D } {
    const source = sourceTokens(this.layout, histories, count, 20, users); // [B, S] each
    const s = source.length;
    const encoder = this.params.scope("encoder");
    return tf.tidy(() => {
      const mask = tf.tensor2d(source.mask, [count, s]); // [B, S]: 0 for padding
      const tokens = this.tokenTable(); // [V, 64]
      const positions = this.params.get("encoder_positions", [512, 64], normal(0.05)); // [512, 64]
      let x: tf.Tensor = tf.add(
        tf.gather(tokens, tf.tensor2d(source.ids, [count, s], "int32")),
        tf.gather(positions, tf.tensor2d(source.positions, [count, s], "int32")),
      ); // [B, S, 64]
      x = dropout(x, 0.1, ctx);
      // Attention may not look at padding.
      const bias = encoderBias(s, tigerEncoder, { paddingMask: mask });
      for (let i = 0; i < 2; i++) {
        x = encoderLayer(x, encoder.scope("layer" + i), tigerEncoder, bias, ctx); // [B, S, 64]
      }
      x = layerNorm(x, encoder.scope("final_norm"), 64); // [B, S, 64]
      return { memory: x as tf.Tensor3D, mask: mask as tf.Tensor2D };
    });
  }

  /** Decoder hidden states [n, len, 64] for inputs [n, len] (global token ids, the start token first). */
  decode(
    inputs: Int32Array,
    n: number,
    len: number,
    memory: tf.Tensor3D,
    mask: tf.Tensor2D,
    ctx: ForwardContext = INFERENCE,
  ): tf.Tensor3D {
    const decoder = this.params.scope("decoder");
    return tf.tidy(() => {
      let x: tf.Tensor = tf.add(
        tf.gather(this.tokenTable(), tf.tensor2d(inputs, [n, len], "int32")),
        tf.gather(
          this.decoderPositions(),
          tf.tensor2d(decoderPositions(n, len), [n, len], "int32"),
        ),
      ); // [n, len, 64]
      x = dropout(x, 0.1, ctx);
      // A position sees itself and earlier ones; the memory's padding is masked.
      const bias = decoderBiases(len, { memoryPaddingMask: mask });
      for (let i = 0; i < 2; i++) {
        x = decoderLayer(
          x,
          memory,
          decoder.scope("layer" + i),
          tigerDecoder,
          bias.self,
          bias.memory,
          ctx,
        ); // [n, len, 64]
      }
      x = layerNorm(x, decoder.scope("final_norm"), 64); // [n, len, 64]
      return x as tf.Tensor3D;
    });
  }

  /** The same decoder, one position at a time over cached keys and values (beam search). */
  incrementalDecoder(memory: tf.Tensor3D, mask: tf.Tensor2D): IncrementalDecoder {
    return new IncrementalDecoder(this.params.scope("decoder"), tigerDecoder, memory, mask);
  }

  /** The decoder's input [n, 64] at position t: token ids [n] plus position t. */
  stepInput(ids: Int32Array, t: number): tf.Tensor2D {
    return tf.add(
      tf.gather(this.tokenTable(), tf.tensor1d(ids, "int32")),
      tf.slice(this.decoderPositions(), [t, 0], [1, 64]),
    );
  }

  /** Logits [n, sizes[l]] of position l: hidden states [n, 64] against level l's rows of the token table. */
  levelLogits(h: tf.Tensor2D, l: number): tf.Tensor2D {
    return tf.tidy(() => {
      const rows = tf.slice(
        this.tokenTable(),
        [this.layout.offsets[l], 0],
        [this.layout.sizes[l], 64],
      ) as tf.Tensor2D;
      return tf.matMul(h, rows, false, true);
    });
  }

  /** Teacher-forced cross-entropy of the target's ID, averaged over its positions (ln(size) each at initialisation). */
  loss(batch: Batch, ctx: LossContext): tf.Scalar {
    const fctx: ForwardContext = ctx.training
      ? { training: true, rng: ctx.rng ?? new Rng(0) }
      : INFERENCE;
    const n = batch.size;
    const t = this.layout.tokensPerItem;
    // The decoder reads [start, t_0 … t_{T−2}] and predicts t_0 … t_{T−1}.
    const { inputs, targets } = teacherForcing(this.layout, batch.targets, n);
    return tf.tidy(() => {
      const { memory, mask } = this.encode(batch.histories, n, batch.users, fctx);
      const hidden = this.decode(inputs, n, t, memory, mask, fctx); // [B, T, 64]
      let total: tf.Scalar = tf.scalar(0);
      for (let l = 0; l < t; l++) {
        const h = tf.reshape(tf.slice(hidden, [0, l, 0], [n, 1, 64]), [n, 64]) as tf.Tensor2D; // [B, 64]
        const ce = softmaxCrossEntropy(this.levelLogits(h, l), tf.tensor1d(targets[l], "int32"), {
          labelSmoothing: 0,
          ignoreIndex: null,
        });
        total = tf.add(total, ce);
      }
      return tf.div(total, t) as tf.Scalar;
    });
  }

  /** Scores [B, N + 1]: the beam score of each retrieved item, −Infinity for every other; the search skips exclude[b]'s items. */
  scoreItems(
    histories: Int32Array,
    count: number,
    users?: Int32Array,
    exclude?: readonly ArrayLike<number>[],
  ): Promise<tf.Tensor2D> {
    return this.retrieval.scoreItems(this, histories, count, 20, users, exclude);
  }

  /** Every example weighs the same: the loss is a mean over the batch. */
  lossWeight(batch: Batch): number {
    return batch.size;
  }

  /** Peak bytes of one training step: both transformer stacks over the batch's source and the ID's tokens. */
  stepBytes(batch: Batch): number {
    return generativeStepBytes(batch, this.layout, tigerEncoder, tigerDecoder);
  }

  dispose(): void {
    this.params.dispose();
  }

  private decoderPositions(): tf.Tensor2D {
    return this.params.get(
      "decoder_positions",
      [this.layout.tokensPerItem, 64],
      normal(0.05),
    ) as tf.Tensor2D;
  }
}

/** How `tiger` trains: adam, batches of 256, 4000 steps. */
export const tigerTraining: TrainAttributes = {
  optimizer: { type: "adam", lr: 0.004, beta1: 0.9, beta2: 0.98, eps: 1e-8 },
  schedule: { type: "inverse_sqrt", warmup: 200 },
  epochs: null,
  steps: 4000,
  batch: 256,
  micro_batch: null,
  clip: 0,
  early_stop: { metric: "recall", k: 10 },
  patience: 3,
  checkpoint_every: 1000,
  checkpoint_minutes: 5,
  seed: 0,
};

/** The transformer of `sasrec`: 1 pre-LN transformer layer (1 head of 64, d_model 64, d_ff 64, gelu, causal, dropout 0.5). */
const sasrecEncoder: TransformerConfig = {
  layers: 1,
  heads: 1,
  headDim: 64,
  dModel: 64,
  dFF: 64,
  dropout: 0.5,
  causal: true,
  activation: "gelu",
  norm: "pre",
};

/**
 * `model sasrec = sequential(…)`: SASRec over `beauty`. Item embeddings (E = 64) plus learned positions,
 * 1 pre-LN transformer layer (1 head of 64, d_model 64, d_ff 64, gelu, causal, dropout 0.5), and next-item logits h · Eᵀ against the same item table.
 */
export class SasrecModel implements RecModel {
  readonly name = "sasrec";
  /** Every weight, initialised from the training seed (0) and its name. */
  readonly params = new ParamStore(0);
  readonly numItems: number;
  readonly historyLength = 20;
  /** One example per training user: the history and the item after it. */
  readonly trainingExamples: readonly Example[];

  constructor(data: PreparedData) {
    this.numItems = data.numItems;
    this.trainingExamples = data.split.train;
    // Build every parameter now, so the trainer and checkpoints see the full set from the start.
    tf.tidy(() => {
      this.encode(new Int32Array(20).fill(1), 1, INFERENCE);
    });
  }

  /** E [N + 1, 64]: row i embeds item i (row 0 the padding item); also the output layer. */
  itemTable(): tf.Variable {
    return this.params.scope("item_embedding").get("table", [this.numItems + 1, 64], normal(0.05));
  }

  /** Hidden states [B, L, 64] of the L used history columns (the last column is the most recent item). */
  encode(histories: Int32Array, count: number, ctx: ForwardContext): EncodedSequence {
    const input = trimHistories(histories, count, 20); // ids, mask: [B, L], L ≤ 20
    const positions = this.params.scope("positions").get("table", [512, 64], normal(0.05)); // [512, 64]
    const encoder = this.params.scope("encoder");
    const hidden = tf.tidy(() => {
      let x: tf.Tensor = tf.mul(tf.gather(this.itemTable(), input.ids), Math.sqrt(64)); // [B, L, 64]
      // The window's last L learned positions, so the most recent item always has position 19.
      x = tf.add(x, tf.slice(positions, [input.offset, 0], [input.length, 64])); // [B, L, 64]
      x = dropout(x, 0.5, ctx);
      x = tf.mul(x, tf.expandDims(input.mask, 2)); // padding positions zeroed
      // Attention may not look at padding or at later positions.
      const bias = encoderBias(input.length, sasrecEncoder, { paddingMask: input.mask });
      for (let i = 0; i < 1; i++) {
        x = encoderLayer(x, encoder.scope("layer" + i), sasrecEncoder, bias, ctx); // [B, L, 64]
      }
      x = layerNorm(x, encoder.scope("final_norm"), 64); // [B, L, 64]
      return x as tf.Tensor3D;
    });
    input.ids.dispose();
    input.mask.dispose();
    return { hidden, ids: input.host, length: input.length };
  }

  /** Mean cross-entropy of the next item at every position that has one (the last position only for the held-out loss). */
  loss(batch: Batch, ctx: LossContext): tf.Scalar {
    return tf.tidy(() => {
      const { hidden, ids, length } = this.encode(batch.histories, batch.size, ctx);
      const { rows, targets } = targetPositions(
        ids,
        batch.targets,
        batch.size,
        length,
        ctx.training ? "all" : "last",
      );
      if (rows.length === 0) {
        // Nothing to predict: a zero that still depends on the parameters, so gradients exist.
        return tf.mul(tf.sum(hidden), 0) as tf.Scalar;
      }
      const flat = tf.reshape(hidden, [batch.size * length, 64]) as tf.Tensor2D; // [B·L, 64]
      const h = tf.gather(flat, tf.tensor1d(rows, "int32")) as tf.Tensor2D; // [P, 64]: positions with a target
      const table = this.itemTable() as tf.Tensor2D; // [N + 1, 64]
      // Full softmax over the catalogue.
      const logits = tf.matMul(h, table, false, true) as tf.Tensor2D; // [P, N + 1]
      return softmaxCrossEntropy(logits, tf.tensor1d(targets, "int32"), {
        labelSmoothing: 0,
        ignoreIndex: null,
      });
    });
  }

  /** Next-item scores [B, N + 1]: the last position's hidden state against every item. */
  scoreItems(histories: Int32Array, count: number): tf.Tensor2D {
    return tf.tidy(() => {
      const { hidden, length } = this.encode(histories, count, INFERENCE);
      const last = tf.reshape(tf.slice(hidden, [0, length - 1, 0], [count, 1, 64]), [
        count,
        64,
      ]) as tf.Tensor2D; // [B, 64]
      return tf.matMul(last, this.itemTable() as tf.Tensor2D, false, true); // [B, N + 1]
    });
  }

  /** The query side of scoreItems, as `recspec export` writes it: the last position's hidden state [B, 1, 64]. */
  queryVectors(histories: Int32Array, count: number): tf.Tensor3D {
    return tf.tidy(() => {
      const { hidden, length } = this.encode(histories, count, INFERENCE);
      return tf.slice(hidden, [0, length - 1, 0], [count, 1, 64]) as tf.Tensor3D; // [B, 1, 64]
    });
  }

  /** The item side of scoreItems: the item table [N + 1, 64] (a copy: the caller frees it). */
  catalogueVectors(): tf.Tensor2D {
    return tf.clone(this.itemTable()) as tf.Tensor2D;
  }

  /** The loss's denominator on a batch (its target positions), for micro-batch weighting. */
  lossWeight(batch: Batch): number {
    return targetCount(batch, "all");
  }

  /** Peak bytes of one training step: logits, their softmax and gradient, plus the encoder. */
  stepBytes(batch: Batch): number {
    const length = usedLength(batch.histories, batch.size, batch.length);
    const p = this.lossWeight(batch);
    return (
      p * (this.numItems + 1) * 4 * 3 + transformerStepBytes(batch.size, length, sasrecEncoder, 64)
    );
  }

  dispose(): void {
    this.params.dispose();
  }
}

/** How `sasrec` trains: adam, batches of 128, 30 epochs. */
export const sasrecTraining: TrainAttributes = {
  optimizer: { type: "adam", lr: 0.003, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
  schedule: { type: "constant" },
  epochs: 30,
  steps: null,
  batch: 128,
  micro_batch: null,
  clip: 0,
  early_stop: { metric: "ndcg", k: 10 },
  patience: 4,
  checkpoint_every: 1000,
  checkpoint_minutes: 5,
  seed: 0,
};

/** The spec's `evaluate` blocks, every default explicit. */
export const specEvaluations: IREvaluation[] = [
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
    exclude_history: true,
    baseline: true,
    baselines: null,
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
    exclude_history: true,
    baseline: true,
    baselines: null,
    bootstrap: 1000,
  },
];
