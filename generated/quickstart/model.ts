/**
 * Generated from specs/quickstart.recspec by recspec. Edit freely and run with `recspec exec`; `recspec compile` regenerates it.
 * The spec's data sets and models: how each is read or built, its graph, its loss and its scores.
 * recspec content hash: sha256:df350021d50e147a — recspec overwrites this file only while it is unedited
 */
import {
  INFERENCE,
  ParamStore,
  dropout,
  encoderBias,
  encoderLayer,
  layerNorm,
  normal,
  prepareData,
  readAmazon,
  resolveDataPath,
  softmaxCrossEntropy,
  targetCount,
  targetPositions,
  tf,
  transformerStepBytes,
  trimHistories,
  usedLength,
  type Batch,
  type EncodedSequence,
  type Example,
  type ForwardContext,
  type IREvaluation,
  type LossContext,
  type PreparedData,
  type RecModel,
  type Run,
  type TrainAttributes,
  type TransformerConfig,
} from "recspec/runtime";

/** `dataset beauty = amazon(…)`: read, split leave-last-out, histories of the last 50 items. */
export async function loadBeauty(run: Run): Promise<PreparedData> {
  const store = await readAmazon(resolveDataPath("data/amazon-beauty", run.specDir), "Beauty");
  return prepareData(
    run,
    "beauty",
    { store },
    { split: "leave_last_out", history: 50, window: 30, stride: 5, coldStart: 0, minLength: 3 },
  );
}

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
  readonly historyLength = 50;
  /** One example per training user: the history and the item after it. */
  readonly trainingExamples: readonly Example[];

  constructor(data: PreparedData) {
    this.numItems = data.numItems;
    this.trainingExamples = data.split.train;
    // Build every parameter now, so the trainer and checkpoints see the full set from the start.
    tf.tidy(() => {
      this.encode(new Int32Array(50).fill(1), 1, INFERENCE);
    });
  }

  /** E [N + 1, 64]: row i embeds item i (row 0 the padding item); also the output layer. */
  itemTable(): tf.Variable {
    return this.params.scope("item_embedding").get("table", [this.numItems + 1, 64], normal(0.05));
  }

  /** Hidden states [B, L, 64] of the L used history columns (the last column is the most recent item). */
  encode(histories: Int32Array, count: number, ctx: ForwardContext): EncodedSequence {
    const input = trimHistories(histories, count, 50); // ids, mask: [B, L], L ≤ 50
    const positions = this.params.scope("positions").get("table", [512, 64], normal(0.05)); // [512, 64]
    const encoder = this.params.scope("encoder");
    const hidden = tf.tidy(() => {
      let x: tf.Tensor = tf.mul(tf.gather(this.itemTable(), input.ids), Math.sqrt(64)); // [B, L, 64]
      // The window's last L learned positions, so the most recent item always has position 49.
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

/** How `sasrec` trains: adam, batches of 128, 10 epochs. */
export const sasrecTraining: TrainAttributes = {
  optimizer: { type: "adam", lr: 0.003, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
  schedule: { type: "constant" },
  epochs: 10,
  steps: null,
  batch: 128,
  micro_batch: null,
  clip: 0,
  early_stop: { metric: "ndcg", k: 10 },
  patience: 2,
  checkpoint_every: 1000,
  checkpoint_minutes: 5,
  seed: 0,
};

/** The spec's `evaluate` blocks, every default explicit. */
export const specEvaluations: IREvaluation[] = [
  {
    model: "sasrec",
    dataset: "beauty",
    split: "test",
    metrics: [
      { metric: "recall", k: 10 },
      { metric: "ndcg", k: 10 },
      { metric: "recall", k: 20 },
      { metric: "ndcg", k: 20 },
    ],
    slices: [{ type: "all" }, { type: "popularity", head: 0.2 }],
    candidates: { type: "full" },
    exclude_history: true,
    baseline: true,
    baselines: null,
    bootstrap: 1000,
  },
];
