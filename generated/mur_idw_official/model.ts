/**
 * Generated from specs/mur_idw_official.recspec by recspec. Edit freely and run with `recspec exec`; `recspec compile` regenerates it.
 * The spec's data sets and models: how each is read or built, its graph, its loss and its scores.
 * recspec content hash: sha256:92088aaae02e3222 — recspec overwrites this file only while it is unedited
 */
import {
  INFERENCE,
  ItemDistribution,
  ParamStore,
  Rng,
  generateSynthetic,
  maxInterestScores,
  maxInterestTrainingScores,
  multiInterest,
  multiInterestStepBytes,
  normal,
  prepareData,
  sampledSoftmaxLogits,
  softmaxCrossEntropy,
  targetCounts,
  targetInterestScores,
  tf,
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
} from "recspec/runtime";

/** `dataset synth = synthetic(…)`: read, split leave-last-out, histories of the last 50 items. */
export async function loadSynth(run: Run): Promise<PreparedData> {
  // The generator's ground truth (clusters, interests) travels with the data for the report.
  const synthetic = generateSynthetic({
    users: 10000,
    clusters: 5,
    itemsPerCluster: 10,
    interestsPerUser: 3,
    interestPower: 1,
    itemPower: 0.5,
    stay: 0.6,
    switch: 0.3,
    nonInterestStay: 0.2,
    interestDraw: "independent",
    start: "any",
    length: 20,
    seed: 7,
  });
  return prepareData(
    run,
    "synth",
    { store: synthetic.store, synthetic },
    { split: "leave_last_out", history: 50, window: 30, stride: 5, coldStart: 0, minLength: 3 },
  );
}

/** `tower items = item_tower(…)`: item-ID embedding (E = 2). */
export class ItemsTower {
  readonly dim = 2;
  /** Item-ID embedding [N + 1, 2] (row 0 the padding item). */
  private readonly table: tf.Variable;

  constructor(params: ParamStore, numItems: number) {
    this.table = params.scope("item_embedding").get("table", [numItems + 1, 2], normal(0.05));
  }

  /** Item vectors [n, 2] of ids [n]: their embeddings. */
  vectors(ids: tf.Tensor1D): tf.Tensor2D {
    return tf.gather(this.table, ids) as tf.Tensor2D; // [n, 2]
  }
}

/**
 * `tower users = multi_interest(…)`: item-ID embedding (E = 2) × √E over the history, 0 self-attention layers,
 * then 5 learned queries each attending over the sequence: 5 interest vectors per user.
 */
export class UsersTower {
  readonly dim = 2;
  readonly interests = 5;
  /** Item-ID embedding [N + 1, 2] (row 0 the padding item). */
  private readonly table: tf.Variable;

  constructor(
    private readonly params: ParamStore,
    numItems: number,
  ) {
    this.table = params.scope("item_embedding").get("table", [numItems + 1, 2], normal(0.05));
  }

  /** Interest vectors [B, 5, 2] of left-padded histories [B, 50]. */
  vectors(histories: Int32Array, count: number, ctx: ForwardContext): tf.Tensor3D {
    const input = trimHistories(histories, count, 50); // ids, mask: [B, L], L ≤ 50
    const vectors = tf.tidy(() => {
      const x: tf.Tensor = tf.mul(
        tf.mul(tf.gather(this.table, input.ids), Math.sqrt(2)),
        tf.expandDims(input.mask, 2),
      ); // [B, L, 2], padding zeroed
      return multiInterest(x, this.params.scope("interests"), {
        numInterests: 5,
        dim: 2,
        paddingMask: input.mask,
      }); // [B, 5, 2]
    });
    input.ids.dispose();
    input.mask.dispose();
    return vectors;
  }

  /** Rough activation bytes of a training step over B histories of used length L. */
  stepBytes(b: number, l: number): number {
    return multiInterestStepBytes(b, l, { embedding: 2, heads: 1, layers: 0, interests: 5 });
  }
}

/**
 * `model mur = two_tower(…)`: user tower `users` (5 interest vectors of 2) and item tower `items`,
 * scored by the max over interests of <u_h, v_i>, trained with an in-batch softmax.
 */
export class MurModel implements RecModel {
  readonly name = "mur";
  /** Every weight, initialised from the training seed (0) and its name. */
  readonly params = new ParamStore(0);
  readonly numItems: number;
  readonly historyLength = 50;
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
      this.user.vectors(new Int32Array(50).fill(1), 1, INFERENCE);
      this.itemVectors(tf.tensor1d([1], "int32"));
    });
  }

  /** Item vectors [n, 2] of ids [n], in inference mode (retrieval). */
  itemVectors(ids: tf.Tensor1D): tf.Tensor2D {
    return this.item.vectors(ids);
  }

  /** Mean cross-entropy of each example's target among its candidates. */
  loss(batch: Batch, ctx: LossContext): tf.Scalar {
    const rng = ctx.rng ?? new Rng(0);
    const forward: ForwardContext = ctx.training ? { training: true, rng } : INFERENCE;
    return tf.tidy(() => {
      const users = this.user.vectors(batch.histories, batch.size, forward); // [B, 5, 2]
      // Sampled softmax: the batch's other targets are the negatives (a row's duplicates of its own target masked); logits are scores / 1.
      const { logits, labels } = sampledSoftmaxLogits({
        scorer: {
          // Hard routing: the interest nearest the target scores it; any other item gets the max over interests.
          diagonal: (ids) =>
            targetInterestScores(users, this.item.vectors(tf.tensor1d(ids, "int32"))), // [B]
          against: (ids) =>
            maxInterestTrainingScores(users, this.item.vectors(tf.tensor1d(ids, "int32"))), // [B, M]
        },
        targets: batch.targets,
        config: {
          type: "sampled_softmax",
          negatives: "in_batch",
          count: 100,
          logq: false,
          temperature: 1,
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
      const users = this.user.vectors(batch.histories, batch.size, forward); // [B, 5, 2]
      // Sampled softmax: the batch's other targets are the negatives (a row's duplicates of its own target masked); logits are scores / 1.
      const { logits, labels } = sampledSoftmaxLogits({
        scorer: {
          // Hard routing: the interest nearest the target scores it; any other item gets the max over interests.
          diagonal: (ids) =>
            targetInterestScores(users, this.item.vectors(tf.tensor1d(ids, "int32"))), // [B]
          against: (ids) =>
            maxInterestTrainingScores(users, this.item.vectors(tf.tensor1d(ids, "int32"))), // [B, M]
        },
        targets: batch.targets,
        config: {
          type: "sampled_softmax",
          negatives: "in_batch",
          count: 100,
          logq: false,
          temperature: 1,
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
      const users = this.user.vectors(histories, count, INFERENCE); // [B, 5, 2]
      const items = this.itemVectors(tf.range(0, this.numItems + 1, 1, "int32") as tf.Tensor1D); // [N + 1, 2]
      return maxInterestScores(users, items); // [B, N + 1]: each item's best interest
    });
  }

  /** The query side of scoreItems, as `recspec export` writes it: each history's vectors [B, 5, 2], scored by the best dot product. */
  queryVectors(histories: Int32Array, count: number): tf.Tensor3D {
    return this.user.vectors(histories, count, INFERENCE);
  }

  /** The item side of scoreItems: every item's vector [N + 1, 2] (row 0 the padding item). */
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
      batch.size * batch.size * 5 * 4 * 4 +
      batch.size * 2 * 4 * 8
    );
  }

  dispose(): void {
    this.params.dispose();
  }
}

/** How `mur` trains: adam, batches of 128, 10 epochs. */
export const murTraining: TrainAttributes = {
  optimizer: { type: "adam", lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
  schedule: { type: "constant" },
  epochs: 10,
  steps: null,
  batch: 128,
  micro_batch: null,
  clip: 0,
  early_stop: { metric: "loss", k: null },
  patience: 5,
  checkpoint_every: 1000,
  checkpoint_minutes: 5,
  seed: 0,
};

/** The spec's `evaluate` blocks, every default explicit. */
export const specEvaluations: IREvaluation[] = [
  {
    model: "mur",
    dataset: "synth",
    split: "test",
    metrics: [
      { metric: "hr", k: 5 },
      { metric: "hr", k: 10 },
    ],
    slices: [{ type: "all" }, { type: "popularity", head: 0.2 }, { type: "cluster" }],
    candidates: { type: "full" },
    exclude_history: false,
    baseline: true,
    baselines: null,
    bootstrap: 1000,
  },
];
