/**
 * Generated from specs/two_tower_beauty.recspec by recspec. Edit freely and run with `recspec exec`; `recspec compile` regenerates it.
 * The spec's data sets and models: how each is read or built, its graph, its loss and its scores.
 * recspec content hash: sha256:b5e67b18ee3559e5 — recspec overwrites this file only while it is unedited
 */
import {
  INFERENCE,
  ItemDistribution,
  ParamStore,
  Rng,
  dropout,
  encoderBias,
  encoderLayer,
  layerNorm,
  normal,
  prepareData,
  readAmazon,
  resolveDataPath,
  sampledSoftmaxLogits,
  softmaxCrossEntropy,
  targetCounts,
  tf,
  transformerStepBytes,
  trimHistories,
  usedLength,
  type Batch,
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

/** `tower items = item_tower(…)`: item-ID embedding (E = 64). */
export class ItemsTower {
  readonly dim = 64;
  /** Item-ID embedding [N + 1, 64] (row 0 the padding item). */
  private readonly table: tf.Variable;

  constructor(params: ParamStore, numItems: number) {
    this.table = params.scope("item_embedding").get("table", [numItems + 1, 64], normal(0.05));
  }

  /** Item vectors [n, 64] of ids [n]: their embeddings. */
  vectors(ids: tf.Tensor1D): tf.Tensor2D {
    return tf.gather(this.table, ids) as tf.Tensor2D; // [n, 64]
  }
}

/** The transformer of `users`: 1 pre-LN transformer layer (2 heads of 32, d_model 64, d_ff 128, gelu, causal, dropout 0.1). */
const usersEncoder: TransformerConfig = {
  layers: 1,
  heads: 2,
  headDim: 32,
  dModel: 64,
  dFF: 128,
  dropout: 0.1,
  causal: true,
  activation: "gelu",
  norm: "pre",
};

/**
 * `tower users = sequence_encoder(…)`: item-ID embedding (E = 64) × √E plus learned positions, 1 pre-LN transformer layer (2 heads of 32, d_model 64, d_ff 128, gelu, causal, dropout 0.1);
 * the most recent position's hidden state is the user's one vector.
 */
export class UsersTower {
  readonly dim = 64;
  readonly interests = 1;
  /** Item-ID embedding [N + 1, 64] (row 0 the padding item). */
  private readonly table: tf.Variable;

  constructor(
    private readonly params: ParamStore,
    numItems: number,
  ) {
    this.table = params.scope("item_embedding").get("table", [numItems + 1, 64], normal(0.05));
  }

  /** User vectors [B, 1, 64] of left-padded histories [B, 20]. */
  vectors(histories: Int32Array, count: number, ctx: ForwardContext): tf.Tensor3D {
    const input = trimHistories(histories, count, 20); // ids, mask: [B, L], L ≤ 20
    const positions = this.params.scope("positions").get("table", [512, 64], normal(0.05)); // [512, 64]
    const encoder = this.params.scope("encoder");
    const vectors = tf.tidy(() => {
      let x: tf.Tensor = tf.mul(tf.gather(this.table, input.ids), Math.sqrt(64)); // [B, L, 64]
      // The window's last L learned positions, so the most recent item always has position 19.
      x = tf.add(x, tf.slice(positions, [input.offset, 0], [input.length, 64])); // [B, L, 64]
      x = dropout(x, 0.1, ctx);
      x = tf.mul(x, tf.expandDims(input.mask, 2)); // padding positions zeroed
      // Attention may not look at padding or at later positions.
      const bias = encoderBias(input.length, usersEncoder, { paddingMask: input.mask });
      for (let i = 0; i < 1; i++) {
        x = encoderLayer(x, encoder.scope("layer" + i), usersEncoder, bias, ctx); // [B, L, 64]
      }
      x = layerNorm(x, encoder.scope("final_norm"), 64); // [B, L, 64]
      let last: tf.Tensor = tf.reshape(tf.slice(x, [0, input.length - 1, 0], [count, 1, 64]), [
        count,
        64,
      ]); // [B, 64]
      return tf.reshape(last, [count, 1, 64]) as tf.Tensor3D; // [B, 1, 64]
    });
    input.ids.dispose();
    input.mask.dispose();
    return vectors;
  }

  /** Rough activation bytes of a training step over B histories of used length L. */
  stepBytes(b: number, l: number): number {
    return transformerStepBytes(b, l, usersEncoder, 64);
  }
}

/**
 * `model retrieval = two_tower(…)`: user tower `users` (one vector of 64) and item tower `items`,
 * scored by the dot product <u, v_i>, trained with an in-batch softmax.
 */
export class RetrievalModel implements RecModel {
  readonly name = "retrieval";
  /** Every weight, initialised from the training seed (0) and its name. */
  readonly params = new ParamStore(0);
  readonly numItems: number;
  readonly historyLength = 20;
  /** Every training position predicting its next item (positions with an empty history left out). */
  readonly trainingExamples: readonly Example[];
  /** Length N + 1: how often each item is a training target. */
  readonly targetCounts: Int32Array;
  readonly user: UsersTower;
  readonly item: ItemsTower;
  /** Training-target frequencies, for the logQ correction. */
  private readonly distribution: ItemDistribution;

  constructor(data: PreparedData) {
    this.numItems = data.numItems;
    this.trainingExamples = data.trainTargets;
    this.targetCounts = targetCounts(this.trainingExamples, data.numItems);
    this.user = new UsersTower(this.params.scope("user_tower"), data.numItems);
    this.item = new ItemsTower(this.params.scope("item_tower"), data.numItems);
    this.distribution = new ItemDistribution(this.targetCounts);
    // Build every parameter now, so the trainer and checkpoints see the full set from the start.
    tf.tidy(() => {
      this.user.vectors(new Int32Array(20).fill(1), 1, INFERENCE);
      this.itemVectors(tf.tensor1d([1], "int32"));
    });
  }

  /** Item vectors [n, 64] of ids [n], in inference mode (retrieval). */
  itemVectors(ids: tf.Tensor1D): tf.Tensor2D {
    return this.item.vectors(ids);
  }

  /** Mean cross-entropy of each example's target among its candidates. */
  loss(batch: Batch, ctx: LossContext): tf.Scalar {
    const rng = ctx.rng ?? new Rng(0);
    const forward: ForwardContext = ctx.training ? { training: true, rng } : INFERENCE;
    return tf.tidy(() => {
      const users = this.user.vectors(batch.histories, batch.size, forward); // [B, 1, 64]
      const user = tf.reshape(users, [batch.size, 64]) as tf.Tensor2D; // [B, 64]
      // Sampled softmax: the batch's other targets are the negatives (a row's duplicates of its own target masked); logits are scores / 0.1, minus log q of each candidate (logQ correction).
      const { logits, labels } = sampledSoftmaxLogits({
        scorer: {
          diagonal: (ids) =>
            tf.sum(tf.mul(user, this.item.vectors(tf.tensor1d(ids, "int32"))), 1) as tf.Tensor1D, // [B]
          against: (ids) =>
            tf.matMul(user, this.item.vectors(tf.tensor1d(ids, "int32")), false, true), // [B, M]
        },
        targets: batch.targets,
        config: {
          type: "sampled_softmax",
          negatives: "in_batch",
          count: 100,
          logq: true,
          temperature: 0.1,
        },
        distribution: this.distribution,
        numItems: this.numItems,
        rng: rng.fork("negatives"),
      }); // [B, B]
      return softmaxCrossEntropy(logits, labels, { ignoreIndex: null });
    });
  }

  /** A distillation teacher's view: each row's logits [B, B] against the batch's own targets, at inference. */
  inBatchLogits(batch: Batch) {
    const rng = new Rng(0);
    const forward: ForwardContext = INFERENCE;
    return tf.tidy(() => {
      const users = this.user.vectors(batch.histories, batch.size, forward); // [B, 1, 64]
      const user = tf.reshape(users, [batch.size, 64]) as tf.Tensor2D; // [B, 64]
      // Sampled softmax: the batch's other targets are the negatives (a row's duplicates of its own target masked); logits are scores / 0.1, minus log q of each candidate (logQ correction).
      const { logits, labels } = sampledSoftmaxLogits({
        scorer: {
          diagonal: (ids) =>
            tf.sum(tf.mul(user, this.item.vectors(tf.tensor1d(ids, "int32"))), 1) as tf.Tensor1D, // [B]
          against: (ids) =>
            tf.matMul(user, this.item.vectors(tf.tensor1d(ids, "int32")), false, true), // [B, M]
        },
        targets: batch.targets,
        config: {
          type: "sampled_softmax",
          negatives: "in_batch",
          count: 100,
          logq: true,
          temperature: 0.1,
        },
        distribution: this.distribution,
        numItems: this.numItems,
        rng: rng.fork("negatives"),
      }); // [B, B]
      return { logits, labels };
    });
  }

  /** Retrieval scores [B, N + 1] of every item for a batch of histories. */
  scoreItems(histories: Int32Array, count: number): tf.Tensor2D {
    return tf.tidy(() => {
      const users = this.user.vectors(histories, count, INFERENCE); // [B, 1, 64]
      const items = this.itemVectors(tf.range(0, this.numItems + 1, 1, "int32") as tf.Tensor1D); // [N + 1, 64]
      return tf.matMul(tf.reshape(users, [count, 64]) as tf.Tensor2D, items, false, true); // [B, N + 1]
    });
  }

  /** The query side of scoreItems, as `recspec export` writes it: each history's vectors [B, 1, 64], scored by the best dot product. */
  queryVectors(histories: Int32Array, count: number): tf.Tensor3D {
    return this.user.vectors(histories, count, INFERENCE);
  }

  /** The item side of scoreItems: every item's vector [N + 1, 64] (row 0 the padding item). */
  catalogueVectors(): tf.Tensor2D {
    return tf.tidy(() =>
      this.itemVectors(tf.range(0, this.numItems + 1, 1, "int32") as tf.Tensor1D),
    );
  }

  /** The loss's denominator on a batch, for micro-batch weighting. */
  lossWeight(batch: Batch): number {
    return batch.size;
  }

  /** Peak bytes of one training step: the user tower, the [B, B] logits per interest, the item vectors. */
  stepBytes(batch: Batch): number {
    const l = usedLength(batch.histories, batch.size, batch.length);
    return (
      this.user.stepBytes(batch.size, l) +
      batch.size * batch.size * 1 * 4 * 4 +
      batch.size * 64 * 4 * 8
    );
  }

  dispose(): void {
    this.params.dispose();
  }
}

/** How `retrieval` trains: adam, batches of 512, 3 epochs. */
export const retrievalTraining: TrainAttributes = {
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
  checkpoint_minutes: 5,
  seed: 0,
};

/** The spec's `evaluate` blocks, every default explicit. */
export const specEvaluations: IREvaluation[] = [
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
    exclude_history: true,
    baseline: true,
    baselines: null,
    bootstrap: 1000,
  },
];
