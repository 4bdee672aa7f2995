/**
 * Generated from specs/movielens_two_tower.recspec by recspec. Edit freely and run with `recspec exec`; `recspec compile` regenerates it.
 * The spec's data sets and models: how each is read or built, its graph, its loss and its scores.
 * recspec content hash: sha256:4a51cf8a41d1aa63 — recspec overwrites this file only while it is unedited
 */
import {
  INFERENCE,
  ItemDistribution,
  ItemFeatureLists,
  ParamStore,
  Rng,
  UserFeatureRows,
  UserRows,
  normal,
  prepareData,
  readMovieLens,
  resolveDataPath,
  sampledSoftmaxLogits,
  softmaxCrossEntropy,
  targetCounts,
  tf,
  uniformNegatives,
  usedLength,
  userItemPairs,
  type Batch,
  type Example,
  type ForwardContext,
  type IREvaluation,
  type InteractionStore,
  type LossContext,
  type PreparedData,
  type RecModel,
  type Run,
  type TrainAttributes,
} from "recspec/runtime";

/** `dataset ml = movielens(…)`: read, split leave-last-out, histories of the last 50 items. */
export async function loadMl(run: Run): Promise<PreparedData> {
  const store = await readMovieLens(resolveDataPath("data/ml-100k", run.specDir));
  return prepareData(
    run,
    "ml",
    { store },
    { split: "leave_last_out", history: 50, window: 30, stride: 5, coldStart: 0, minLength: 3 },
  );
}

/**
 * `tower users = user_tower(…)`: user-ID embedding (E = 64), the user's one vector. Users the training data never
 * saw (cold users of a later split) share row 0, an out-of-vocabulary row no training example updates.
 */
export class UsersTower {
  readonly dim = 64;
  readonly interests = 1;
  /** User-ID embedding [U + 1, 64]: row u + 1 is user u, row 0 the shared out-of-vocabulary row. */
  private readonly table: tf.Variable;

  constructor(
    params: ParamStore,
    private readonly rows: UserRows,
  ) {
    this.table = params.scope("user_embedding").get("table", [rows.size, 64], normal(0.05));
  }

  /** User vectors [B, 1, 64] of user indices [B]. */
  vectors(users: Int32Array, count: number, _ctx: ForwardContext): tf.Tensor3D {
    return tf.tidy(() => {
      const rows = tf.tensor1d(this.rows.of(users.subarray(0, count)), "int32"); // [B]
      return tf.reshape(tf.gather(this.table, rows), [count, 1, 64]) as tf.Tensor3D; // [B, 1, 64]
    });
  }

  /** Rough activation bytes of a training step over B users (no history is read). */
  stepBytes(b: number, _l: number): number {
    return b * 64 * 4 * 4;
  }
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

/**
 * `tower users_with_features = user_tower(…)`: user-ID embedding (E = 64) with age, gender, occupation embeddings (E = 64) added, the user's one vector. Users the training data never
 * saw (cold users of a later split) share row 0, an out-of-vocabulary row no training example updates; their features are their own.
 */
export class UsersWithFeaturesTower {
  readonly dim = 64;
  readonly interests = 1;
  /** User-ID embedding [U + 1, 64]: row u + 1 is user u, row 0 the shared out-of-vocabulary row. */
  private readonly table: tf.Variable;
  /** Each user's row of `ageTable` (age in 7 buckets (under 18, 18–24, 25–34, 35–44, 45–49, 50–55, 56+); row 0: no value). */
  private readonly age: UserFeatureRows;
  /** Age embedding [8, 64]. */
  private readonly ageTable: tf.Variable;
  /** Each user's row of `genderTable` (gender; row 0: no value). */
  private readonly gender: UserFeatureRows;
  /** Gender embedding [values + 1, 64]. */
  private readonly genderTable: tf.Variable;
  /** Each user's row of `occupationTable` (occupation; row 0: no value). */
  private readonly occupation: UserFeatureRows;
  /** Occupation embedding [values + 1, 64]. */
  private readonly occupationTable: tf.Variable;

  constructor(
    params: ParamStore,
    private readonly rows: UserRows,
    store: InteractionStore,
  ) {
    this.table = params.scope("user_embedding").get("table", [rows.size, 64], normal(0.05));
    this.age = new UserFeatureRows(store, "age", {
      tower: "users_with_features",
      dataset: "ml",
      file: "data/ml-100k/u.user",
    });
    this.ageTable = params.scope("age_embedding").get("table", [this.age.size, 64], normal(0.05));
    this.gender = new UserFeatureRows(store, "gender", {
      tower: "users_with_features",
      dataset: "ml",
      file: "data/ml-100k/u.user",
    });
    this.genderTable = params
      .scope("gender_embedding")
      .get("table", [this.gender.size, 64], normal(0.05));
    this.occupation = new UserFeatureRows(store, "occupation", {
      tower: "users_with_features",
      dataset: "ml",
      file: "data/ml-100k/u.user",
    });
    this.occupationTable = params
      .scope("occupation_embedding")
      .get("table", [this.occupation.size, 64], normal(0.05));
  }

  /** User vectors [B, 1, 64] of user indices [B]. */
  vectors(users: Int32Array, count: number, _ctx: ForwardContext): tf.Tensor3D {
    return tf.tidy(() => {
      const ids = users.subarray(0, count); // [B]
      const rows = tf.tensor1d(this.rows.of(ids), "int32"); // [B]
      const id = tf.gather(this.table, rows) as tf.Tensor2D; // [B, 64]
      const age = tf.gather(this.ageTable, tf.tensor1d(this.age.of(ids), "int32")) as tf.Tensor2D; // [B, 64]
      const gender = tf.gather(
        this.genderTable,
        tf.tensor1d(this.gender.of(ids), "int32"),
      ) as tf.Tensor2D; // [B, 64]
      const occupation = tf.gather(
        this.occupationTable,
        tf.tensor1d(this.occupation.of(ids), "int32"),
      ) as tf.Tensor2D; // [B, 64]
      const x = tf.addN([id, age, gender, occupation]) as tf.Tensor2D; // [B, 64]: id and features summed
      return tf.reshape(x, [count, 1, 64]) as tf.Tensor3D; // [B, 1, 64]
    });
  }

  /** Rough activation bytes of a training step over B users (no history is read). */
  stepBytes(b: number, _l: number): number {
    return b * 64 * 4 * 4;
  }
}

/** `tower items_with_genres = item_tower(…)`: item-ID embedding (E = 64) with genres (the mean of each's embeddings, E = 64) added. */
export class ItemsWithGenresTower {
  readonly dim = 64;
  /** Item-ID embedding [N + 1, 64] (row 0 the padding item). */
  private readonly table: tf.Variable;
  /** Each item's genres as rows of `genresTable`, with the weights of their mean. */
  private readonly genres: ItemFeatureLists;
  /** Genres embedding [values + 1, 64] (row 0 the padding value). */
  private readonly genresTable: tf.Variable;

  constructor(params: ParamStore, numItems: number, store: InteractionStore) {
    this.table = params.scope("item_embedding").get("table", [numItems + 1, 64], normal(0.05));
    this.genres = new ItemFeatureLists(store, "genres", {
      tower: "items_with_genres",
      dataset: "ml",
      file: "data/ml-100k/u.item",
    });
    this.genresTable = params
      .scope("genres_embedding")
      .get("table", [this.genres.size, 64], normal(0.05));
  }

  /** Item vectors [n, 64] of ids [n]. */
  vectors(ids: tf.Tensor1D): tf.Tensor2D {
    return tf.tidy(() => {
      const id = tf.gather(this.table, ids) as tf.Tensor2D; // [n, 64]
      const genresLists = this.genres.of(ids); // rows, weights: [n, W], W the most genres of an item
      const genres = tf.sum(
        tf.mul(
          tf.gather(this.genresTable, genresLists.rows),
          tf.expandDims(genresLists.weights, 2),
        ),
        1,
      ) as tf.Tensor2D; // [n, 64]: the mean of the item's genres
      const x = tf.addN([id, genres]) as tf.Tensor2D; // [n, 64]: id and features summed
      return x;
    });
  }
}

/**
 * `model two_tower_ids = two_tower(…)`: user tower `users` (one vector of 64) and item tower `items`,
 * scored by the dot product <u, v_i>, trained with a full softmax over the catalogue.
 */
export class TwoTowerIdsModel implements RecModel {
  readonly name = "two_tower_ids";
  /** Every weight, initialised from the training seed (0) and its name. */
  readonly params = new ParamStore(0);
  readonly numItems: number;
  readonly historyLength = 50;
  /** Every (user, item) pair of the training data, once. */
  readonly trainingExamples: readonly Example[];
  /** Length N + 1: how often each item is a training target. */
  readonly targetCounts: Int32Array;
  readonly user: UsersTower;
  readonly item: ItemsTower;
  /** Training-target frequencies, for the in-batch logits a distillation reads (the full softmax needs none). */
  private readonly distribution: ItemDistribution;

  constructor(data: PreparedData) {
    this.numItems = data.numItems;
    this.trainingExamples = userItemPairs(data.trainTargets);
    this.targetCounts = targetCounts(this.trainingExamples, data.numItems);
    this.user = new UsersTower(
      this.params.scope("user_tower"),
      new UserRows(data.trainTargets, data.store.numUsers),
    );
    this.item = new ItemsTower(this.params.scope("item_tower"), data.numItems);
    this.distribution = new ItemDistribution(this.targetCounts);
    // Build every parameter now, so the trainer and checkpoints see the full set from the start.
    tf.tidy(() => {
      this.user.vectors(new Int32Array(1), 1, INFERENCE);
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
      const users = this.user.vectors(batch.users, batch.size, forward); // [B, 1, 64]
      const user = tf.reshape(users, [batch.size, 64]) as tf.Tensor2D; // [B, 64]
      // Full softmax over the catalogue: every item's vector scored against each user (column 0, the padding item, learns to score low).
      const items = this.item.vectors(tf.range(0, this.numItems + 1, 1, "int32") as tf.Tensor1D); // [N + 1, 64]
      const logits = tf.matMul(user, items, false, true) as tf.Tensor2D; // [B, N + 1]
      const labels = tf.tensor1d(batch.targets, "int32"); // [B]
      return softmaxCrossEntropy(logits, labels, { labelSmoothing: 0, ignoreIndex: null });
    });
  }

  /** A distillation teacher's view: each row's logits [B, B] against the batch's own targets, at inference. */
  inBatchLogits(batch: Batch) {
    const rng = new Rng(0);
    const forward: ForwardContext = INFERENCE;
    return tf.tidy(() => {
      const users = this.user.vectors(batch.users, batch.size, forward); // [B, 1, 64]
      const user = tf.reshape(users, [batch.size, 64]) as tf.Tensor2D; // [B, 64]
      // Sampled softmax: the batch's other targets are the negatives (a row's duplicates of its own target masked); logits are scores / 1.
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

  /** Retrieval scores [B, N + 1] of every item for a batch of users (without them: the out-of-vocabulary row). */
  scoreItems(_histories: Int32Array, count: number, userIndices?: Int32Array): tf.Tensor2D {
    return tf.tidy(() => {
      const users = this.user.vectors(
        userIndices ?? new Int32Array(count).fill(-1),
        count,
        INFERENCE,
      ); // [B, 1, 64]
      const items = this.itemVectors(tf.range(0, this.numItems + 1, 1, "int32") as tf.Tensor1D); // [N + 1, 64]
      return tf.matMul(tf.reshape(users, [count, 64]) as tf.Tensor2D, items, false, true); // [B, N + 1]
    });
  }

  /** The query side of scoreItems, as `recspec export` writes it: each user's vectors [B, 1, 64], scored by the best dot product. */
  queryVectors(_histories: Int32Array, count: number, userIndices?: Int32Array): tf.Tensor3D {
    return this.user.vectors(userIndices ?? new Int32Array(count).fill(-1), count, INFERENCE);
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

  /** Peak bytes of one training step: the user tower, the [B, N + 1] logits per interest, the item vectors. */
  stepBytes(batch: Batch): number {
    const l = usedLength(batch.histories, batch.size, batch.length);
    return (
      this.user.stepBytes(batch.size, l) +
      batch.size * (this.numItems + 1) * 1 * 4 * 4 +
      batch.size * 64 * 4 * 8
    );
  }

  dispose(): void {
    this.params.dispose();
  }
}

/** How `two_tower_ids` trains: adam, batches of 256, 20 epochs. */
export const twoTowerIdsTraining: TrainAttributes = {
  optimizer: { type: "adam", lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
  schedule: { type: "constant" },
  epochs: 20,
  steps: null,
  batch: 256,
  micro_batch: null,
  clip: 0,
  early_stop: null,
  patience: 3,
  checkpoint_every: 1000,
  checkpoint_minutes: 5,
  seed: 0,
};

/**
 * `model two_tower_features = two_tower(…)`: user tower `users_with_features` (one vector of 64) and item tower `items_with_genres`,
 * scored by the dot product <u, v_i>, trained with a full softmax over the catalogue.
 */
export class TwoTowerFeaturesModel implements RecModel {
  readonly name = "two_tower_features";
  /** Every weight, initialised from the training seed (0) and its name. */
  readonly params = new ParamStore(0);
  readonly numItems: number;
  readonly historyLength = 50;
  /** Every (user, item) pair of the training data, once. */
  readonly trainingExamples: readonly Example[];
  /** Length N + 1: how often each item is a training target. */
  readonly targetCounts: Int32Array;
  readonly user: UsersWithFeaturesTower;
  readonly item: ItemsWithGenresTower;
  /** Training-target frequencies, for the in-batch logits a distillation reads (the full softmax needs none). */
  private readonly distribution: ItemDistribution;

  constructor(data: PreparedData) {
    this.numItems = data.numItems;
    this.trainingExamples = userItemPairs(data.trainTargets);
    this.targetCounts = targetCounts(this.trainingExamples, data.numItems);
    this.user = new UsersWithFeaturesTower(
      this.params.scope("user_tower"),
      new UserRows(data.trainTargets, data.store.numUsers),
      data.store,
    );
    this.item = new ItemsWithGenresTower(
      this.params.scope("item_tower"),
      data.numItems,
      data.store,
    );
    this.distribution = new ItemDistribution(this.targetCounts);
    // Build every parameter now, so the trainer and checkpoints see the full set from the start.
    tf.tidy(() => {
      this.user.vectors(new Int32Array(1), 1, INFERENCE);
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
      const users = this.user.vectors(batch.users, batch.size, forward); // [B, 1, 64]
      const user = tf.reshape(users, [batch.size, 64]) as tf.Tensor2D; // [B, 64]
      // Full softmax over the catalogue: every item's vector scored against each user (column 0, the padding item, learns to score low).
      const items = this.item.vectors(tf.range(0, this.numItems + 1, 1, "int32") as tf.Tensor1D); // [N + 1, 64]
      const logits = tf.matMul(user, items, false, true) as tf.Tensor2D; // [B, N + 1]
      const labels = tf.tensor1d(batch.targets, "int32"); // [B]
      return softmaxCrossEntropy(logits, labels, { labelSmoothing: 0, ignoreIndex: null });
    });
  }

  /** A distillation teacher's view: each row's logits [B, B] against the batch's own targets, at inference. */
  inBatchLogits(batch: Batch) {
    const rng = new Rng(0);
    const forward: ForwardContext = INFERENCE;
    return tf.tidy(() => {
      const users = this.user.vectors(batch.users, batch.size, forward); // [B, 1, 64]
      const user = tf.reshape(users, [batch.size, 64]) as tf.Tensor2D; // [B, 64]
      // Sampled softmax: the batch's other targets are the negatives (a row's duplicates of its own target masked); logits are scores / 1.
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

  /** Retrieval scores [B, N + 1] of every item for a batch of users (without them: the out-of-vocabulary row). */
  scoreItems(_histories: Int32Array, count: number, userIndices?: Int32Array): tf.Tensor2D {
    return tf.tidy(() => {
      const users = this.user.vectors(
        userIndices ?? new Int32Array(count).fill(-1),
        count,
        INFERENCE,
      ); // [B, 1, 64]
      const items = this.itemVectors(tf.range(0, this.numItems + 1, 1, "int32") as tf.Tensor1D); // [N + 1, 64]
      return tf.matMul(tf.reshape(users, [count, 64]) as tf.Tensor2D, items, false, true); // [B, N + 1]
    });
  }

  /** The query side of scoreItems, as `recspec export` writes it: each user's vectors [B, 1, 64], scored by the best dot product. */
  queryVectors(_histories: Int32Array, count: number, userIndices?: Int32Array): tf.Tensor3D {
    return this.user.vectors(userIndices ?? new Int32Array(count).fill(-1), count, INFERENCE);
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

  /** Peak bytes of one training step: the user tower, the [B, N + 1] logits per interest, the item vectors. */
  stepBytes(batch: Batch): number {
    const l = usedLength(batch.histories, batch.size, batch.length);
    return (
      this.user.stepBytes(batch.size, l) +
      batch.size * (this.numItems + 1) * 1 * 4 * 4 +
      batch.size * 64 * 4 * 8
    );
  }

  dispose(): void {
    this.params.dispose();
  }
}

/** How `two_tower_features` trains: adam, batches of 256, 20 epochs. */
export const twoTowerFeaturesTraining: TrainAttributes = {
  optimizer: { type: "adam", lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
  schedule: { type: "constant" },
  epochs: 20,
  steps: null,
  batch: 256,
  micro_batch: null,
  clip: 0,
  early_stop: null,
  patience: 3,
  checkpoint_every: 1000,
  checkpoint_minutes: 5,
  seed: 0,
};

/**
 * `model mf_bpr = matrix_factorization(…)`: matrix factorisation over `ml`. User factors P and item factors Q
 * (d = 64), s(u, i) = <p_u, q_i>, trained with BPR with 4 uniformly drawn negatives per pair. Users the training data never saw
 * (cold users of a later split) share row 0 of P, an out-of-vocabulary row no training example updates.
 */
export class MfBprModel implements RecModel {
  readonly name = "mf_bpr";
  /** Every weight, initialised from the training seed (0) and its name. */
  readonly params = new ParamStore(0);
  readonly numItems: number;
  readonly historyLength = 50;
  /** Every (user, item) pair of the training data, once. */
  readonly trainingExamples: readonly Example[];
  /** Row of P of each user index: u + 1 for users with training data, 0 otherwise. */
  private readonly rows: UserRows;

  constructor(data: PreparedData) {
    this.numItems = data.numItems;
    this.trainingExamples = userItemPairs(data.trainTargets);
    this.rows = new UserRows(data.trainTargets, data.store.numUsers);
    // Build every parameter now, so the trainer and checkpoints see the full set from the start.
    this.userTable();
    this.itemTable();
  }

  /** P [U + 1, 64]: row u + 1 is user u, row 0 the shared out-of-vocabulary row. */
  userTable(): tf.Variable {
    return this.params.scope("user_embedding").get("table", [this.rows.size, 64], normal(0.05));
  }

  /** Q [N + 1, 64]: row i is item i (row 0 the padding item). */
  itemTable(): tf.Variable {
    return this.params.scope("item_embedding").get("table", [this.numItems + 1, 64], normal(0.05));
  }

  /** p_u [B, 64] of the first `count` user indices. */
  userFactors(users: Int32Array, count: number): tf.Tensor2D {
    return tf.gather(
      this.userTable(),
      tf.tensor1d(this.rows.of(users.subarray(0, count)), "int32"),
    ) as tf.Tensor2D;
  }

  /** q_i [n, 64] of item ids [n]. */
  itemFactors(ids: Int32Array): tf.Tensor2D {
    return tf.gather(this.itemTable(), tf.tensor1d(ids, "int32")) as tf.Tensor2D;
  }

  /** Mean −log σ(s(u, pos) − s(u, neg)) over each pair's negatives. */
  loss(batch: Batch, ctx: LossContext): tf.Scalar {
    const rng = ctx.rng ?? new Rng(0);
    const negatives = uniformNegatives(batch.targets, 4, this.numItems, rng.fork("negatives")); // [B·4]
    return tf.tidy(() => {
      const p = this.userFactors(batch.users, batch.size); // [B, 64]
      const positive = tf.sum(tf.mul(p, this.itemFactors(batch.targets)), 1, true); // [B, 1]
      const q = tf.reshape(this.itemFactors(negatives), [batch.size, 4, 64]); // [B, 4, 64]
      const negative = tf.sum(tf.mul(tf.expandDims(p, 1), q), 2); // [B, 4]
      // −log σ(x) = softplus(−x), stable for large margins.
      return tf.mean(tf.softplus(tf.neg(tf.sub(positive, negative)))) as tf.Scalar;
    });
  }

  /** Scores [B, N + 1] of every item for a batch of users (without them: the out-of-vocabulary row). */
  scoreItems(_histories: Int32Array, count: number, users?: Int32Array): tf.Tensor2D {
    return tf.tidy(() => {
      const p = this.userFactors(users ?? new Int32Array(count).fill(-1), count); // [B, 64]
      return tf.matMul(p, this.itemTable(), false, true); // [B, N + 1]
    });
  }

  /** The query side of scoreItems, as `recspec export` writes it: p_u [B, 1, 64]. */
  queryVectors(_histories: Int32Array, count: number, users?: Int32Array): tf.Tensor3D {
    return tf.tidy(
      () =>
        tf.expandDims(
          this.userFactors(users ?? new Int32Array(count).fill(-1), count),
          1,
        ) as tf.Tensor3D,
    );
  }

  /** The item side of scoreItems: Q [N + 1, 64] (a copy: the caller frees it). */
  catalogueVectors(): tf.Tensor2D {
    return tf.clone(this.itemTable()) as tf.Tensor2D;
  }

  /** The loss's denominator on a batch: its pairs. */
  lossWeight(batch: Batch): number {
    return batch.size;
  }

  /** Peak bytes of one training step: the gathered factors of each pair and its negatives. */
  stepBytes(batch: Batch): number {
    return batch.size * 6 * 64 * 4 * 4;
  }

  dispose(): void {
    this.params.dispose();
  }
}

/** How `mf_bpr` trains: adam, batches of 256, 10 epochs. */
export const mfBprTraining: TrainAttributes = {
  optimizer: { type: "adam", lr: 0.003, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
  schedule: { type: "constant" },
  epochs: 10,
  steps: null,
  batch: 256,
  micro_batch: null,
  clip: 0,
  early_stop: null,
  patience: 3,
  checkpoint_every: 1000,
  checkpoint_minutes: 5,
  seed: 0,
};

/**
 * `model mf_softmax = matrix_factorization(…)`: matrix factorisation over `ml`. User factors P and item factors Q
 * (d = 64), s(u, i) = <p_u, q_i>, trained with a full softmax over the catalogue. Users the training data never saw
 * (cold users of a later split) share row 0 of P, an out-of-vocabulary row no training example updates.
 */
export class MfSoftmaxModel implements RecModel {
  readonly name = "mf_softmax";
  /** Every weight, initialised from the training seed (0) and its name. */
  readonly params = new ParamStore(0);
  readonly numItems: number;
  readonly historyLength = 50;
  /** Every (user, item) pair of the training data, once. */
  readonly trainingExamples: readonly Example[];
  /** Row of P of each user index: u + 1 for users with training data, 0 otherwise. */
  private readonly rows: UserRows;

  constructor(data: PreparedData) {
    this.numItems = data.numItems;
    this.trainingExamples = userItemPairs(data.trainTargets);
    this.rows = new UserRows(data.trainTargets, data.store.numUsers);
    // Build every parameter now, so the trainer and checkpoints see the full set from the start.
    this.userTable();
    this.itemTable();
  }

  /** P [U + 1, 64]: row u + 1 is user u, row 0 the shared out-of-vocabulary row. */
  userTable(): tf.Variable {
    return this.params.scope("user_embedding").get("table", [this.rows.size, 64], normal(0.05));
  }

  /** Q [N + 1, 64]: row i is item i (row 0 the padding item). */
  itemTable(): tf.Variable {
    return this.params.scope("item_embedding").get("table", [this.numItems + 1, 64], normal(0.05));
  }

  /** p_u [B, 64] of the first `count` user indices. */
  userFactors(users: Int32Array, count: number): tf.Tensor2D {
    return tf.gather(
      this.userTable(),
      tf.tensor1d(this.rows.of(users.subarray(0, count)), "int32"),
    ) as tf.Tensor2D;
  }

  /** q_i [n, 64] of item ids [n]. */
  itemFactors(ids: Int32Array): tf.Tensor2D {
    return tf.gather(this.itemTable(), tf.tensor1d(ids, "int32")) as tf.Tensor2D;
  }

  /** Mean cross-entropy of each pair's item among the whole catalogue. */
  loss(batch: Batch, ctx: LossContext): tf.Scalar {
    return tf.tidy(() => {
      const p = this.userFactors(batch.users, batch.size); // [B, 64]
      // Full softmax over the catalogue.
      const logits = tf.matMul(p, this.itemTable(), false, true) as tf.Tensor2D; // [B, N + 1]
      return softmaxCrossEntropy(logits, tf.tensor1d(batch.targets, "int32"), {
        labelSmoothing: 0,
        ignoreIndex: null,
      });
    });
  }

  /** Scores [B, N + 1] of every item for a batch of users (without them: the out-of-vocabulary row). */
  scoreItems(_histories: Int32Array, count: number, users?: Int32Array): tf.Tensor2D {
    return tf.tidy(() => {
      const p = this.userFactors(users ?? new Int32Array(count).fill(-1), count); // [B, 64]
      return tf.matMul(p, this.itemTable(), false, true); // [B, N + 1]
    });
  }

  /** The query side of scoreItems, as `recspec export` writes it: p_u [B, 1, 64]. */
  queryVectors(_histories: Int32Array, count: number, users?: Int32Array): tf.Tensor3D {
    return tf.tidy(
      () =>
        tf.expandDims(
          this.userFactors(users ?? new Int32Array(count).fill(-1), count),
          1,
        ) as tf.Tensor3D,
    );
  }

  /** The item side of scoreItems: Q [N + 1, 64] (a copy: the caller frees it). */
  catalogueVectors(): tf.Tensor2D {
    return tf.clone(this.itemTable()) as tf.Tensor2D;
  }

  /** The loss's denominator on a batch: its pairs. */
  lossWeight(batch: Batch): number {
    return batch.size;
  }

  /** Peak bytes of one training step: the logits, their softmax and gradient. */
  stepBytes(batch: Batch): number {
    return batch.size * (this.numItems + 1) * 4 * 3 + batch.size * 64 * 4 * 4;
  }

  dispose(): void {
    this.params.dispose();
  }
}

/** How `mf_softmax` trains: adam, batches of 256, 10 epochs. */
export const mfSoftmaxTraining: TrainAttributes = {
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
  checkpoint_minutes: 5,
  seed: 0,
};

/** The spec's `evaluate` blocks, every default explicit. */
export const specEvaluations: IREvaluation[] = [
  {
    model: "two_tower_ids",
    dataset: "ml",
    split: "test",
    metrics: [
      { metric: "recall", k: 10 },
      { metric: "ndcg", k: 10 },
    ],
    slices: [{ type: "all" }],
    candidates: { type: "full" },
    exclude_history: true,
    baseline: true,
    baselines: [{ type: "popularity" }, { type: "item_knn", k: 50 }],
    bootstrap: 1000,
  },
  {
    model: "two_tower_features",
    dataset: "ml",
    split: "test",
    metrics: [
      { metric: "recall", k: 10 },
      { metric: "ndcg", k: 10 },
    ],
    slices: [{ type: "all" }],
    candidates: { type: "full" },
    exclude_history: true,
    baseline: true,
    baselines: [{ type: "popularity" }, { type: "item_knn", k: 50 }],
    bootstrap: 1000,
  },
  {
    model: "mf_bpr",
    dataset: "ml",
    split: "test",
    metrics: [
      { metric: "recall", k: 10 },
      { metric: "ndcg", k: 10 },
    ],
    slices: [{ type: "all" }],
    candidates: { type: "full" },
    exclude_history: true,
    baseline: true,
    baselines: [{ type: "popularity" }, { type: "item_knn", k: 50 }],
    bootstrap: 1000,
  },
  {
    model: "mf_softmax",
    dataset: "ml",
    split: "test",
    metrics: [
      { metric: "recall", k: 10 },
      { metric: "ndcg", k: 10 },
    ],
    slices: [{ type: "all" }],
    candidates: { type: "full" },
    exclude_history: true,
    baseline: true,
    baselines: [{ type: "popularity" }, { type: "item_knn", k: 50 }],
    bootstrap: 1000,
  },
];
