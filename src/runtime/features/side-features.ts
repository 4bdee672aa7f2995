// Side features of users and items as embedding rows, for the `features` of user and item towers.
// Takes a data set's store (users' `u.user` table, items' attribute lists: MovieLens genres, Amazon
// item2attributes ids) and a feature name; gives, per user, the row of that feature's embedding
// table (UserFeatureRows: row 0 for a user without a value, age in 7 buckets), and per item the
// padded list of its values' rows with the weights of their mean (ItemFeatureLists: 1/count each,
// 0 for padding, so an item without values gets the zero vector). A data set without the side
// information, or whose file is missing, is a RunError naming the tower and the file.
import * as tf from "@tensorflow/tfjs-core";
import { DataFileError } from "../data/data-error.js";
import type { InteractionStore } from "../data/interactions.js";
import { RunError } from "../errors/run-error.js";

/** Lower edges of the age buckets after the first: under 18, 18–24, 25–34, 35–44, 45–49, 50–55, 56 and over (MovieLens 1M's groups). */
export const AGE_BUCKET_EDGES: readonly number[] = [18, 25, 35, 45, 50, 56];

/** The names of the age buckets, in row order (row k + 1 of the age table is bucket k). */
export const AGE_BUCKETS: readonly string[] = ["under 18", "18-24", "25-34", "35-44", "45-49", "50-55", "56+"];

/** The bucket (0..6) of an age in years. */
export function ageBucket(age: number): number {
  let k = 0;
  while (k < AGE_BUCKET_EDGES.length && age >= AGE_BUCKET_EDGES[k]) k++;
  return k;
}

/** Where a tower reads a feature from, for its messages. */
export interface FeatureSource {
  /** The tower that lists the feature. */
  readonly tower: string;
  /** The data set it reads. */
  readonly dataset: string;
  /** The file holding the feature, as the spec's data path names it. */
  readonly file: string;
}

export type UserFeatureName = "age" | "gender" | "occupation";
export type ItemFeatureName = "genres" | "attributes";

/** Per-user rows of one categorical user feature's embedding table: row 0 for a user without a value. */
export class UserFeatureRows {
  /** Rows of the feature's table: its values + 1. */
  readonly size: number;
  /** The value of each row after row 0. */
  readonly values: readonly string[];
  private readonly rows: Int32Array;

  constructor(store: InteractionStore, feature: UserFeatureName, source: FeatureSource) {
    const table = store.userFeatures;
    if (!table) {
      throw new RunError("RS6009", `tower \`${source.tower}\` lists user feature \`${feature}\`, but \`${source.dataset}\` has no user side information`, {
        help: "remove `features` from the tower, or read MovieLens data (`u.user`)",
      });
    }
    if (!table.users) {
      throw new DataFileError(
        table.file,
        `cannot read file: no such file (tower \`${source.tower}\` reads user \`${feature}\` from it)`,
        `place MovieLens' u.user (user|age|gender|occupation|zip) next to u.data, or remove \`features\` from \`${source.tower}\``,
      );
    }
    const listed = [...table.users.values()];
    this.values = feature === "age" ? AGE_BUCKETS : [...new Set(listed.map((u) => u[feature]))].sort();
    const rowOf = new Map(this.values.map((v, k) => [v, k + 1]));
    this.size = this.values.length + 1;
    this.rows = new Int32Array(store.numUsers);
    for (let u = 0; u < store.numUsers; u++) {
      const row = table.users.get(store.userIds[u]);
      if (row) this.rows[u] = feature === "age" ? ageBucket(row.age) + 1 : rowOf.get(row[feature])!;
    }
  }

  /** Rows [B] of user indices [B]; users out of range or without a value read row 0. */
  of(users: ArrayLike<number>): Int32Array {
    const out = new Int32Array(users.length);
    for (let b = 0; b < users.length; b++) {
      const u = users[b];
      out[b] = u >= 0 && u < this.rows.length ? this.rows[u] : 0;
    }
    return out;
  }
}

/** Each item's values of a multi-valued item feature, padded to the most any item has, with the weights of their mean. */
export class ItemFeatureLists {
  /** Rows of the feature's table: its values + 1 (row 0 the padding value, weighted 0). */
  readonly size: number;
  /** Values per item after padding (at least 1). */
  readonly width: number;
  private readonly rows: Int32Array;
  private readonly weights: Float32Array;

  constructor(store: InteractionStore, feature: ItemFeatureName, source: FeatureSource) {
    const a = store.attributes;
    if (!a) {
      throw new DataFileError(
        source.file,
        `cannot read file: no such file (tower \`${source.tower}\` reads item \`${feature}\` from it)`,
        `place the file next to the interactions, or remove \`features\` from \`${source.tower}\``,
      );
    }
    const n = store.numItems + 1;
    let width = 1;
    for (let i = 0; i < n; i++) width = Math.max(width, a.offsets[i + 1] - a.offsets[i]);
    this.width = width;
    this.size = a.numAttributes + 1;
    this.rows = new Int32Array(n * width);
    this.weights = new Float32Array(n * width);
    for (let i = 1; i < n; i++) {
      const count = a.offsets[i + 1] - a.offsets[i];
      for (let k = 0; k < count; k++) {
        this.rows[i * width + k] = a.values[a.offsets[i] + k] + 1;
        this.weights[i * width + k] = 1 / count;
      }
    }
  }

  /** Value rows [n, width] of item ids [n] and the weights of their mean [n, width] (0 for padding). */
  of(ids: tf.Tensor1D): { rows: tf.Tensor2D; weights: tf.Tensor2D } {
    // Gathered on the device from tables uploaded once (kept past any tidy): reading the ids back
    // would need a synchronous read, which a GPU backend does not have.
    if (this.tables === null || this.tables.rows.isDisposed || this.tables.weights.isDisposed) {
      const n = this.rows.length / this.width;
      this.tables = {
        rows: tf.keep(tf.tensor2d(this.rows, [n, this.width], "int32")),
        weights: tf.keep(tf.tensor2d(this.weights, [n, this.width])),
      };
    }
    return { rows: tf.gather(this.tables.rows, ids) as tf.Tensor2D, weights: tf.gather(this.tables.weights, ids) as tf.Tensor2D };
  }

  private tables: { rows: tf.Tensor2D; weights: tf.Tensor2D } | null = null;
}
