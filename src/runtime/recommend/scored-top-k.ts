// Top-K with scores, for recommending. Takes a score tensor [users × (numItems + 1)] (column 0 the
// padding item) and per-user exclusions; gives each row's best K item ids with their scores, best
// first, ties by the lower id — the selection evaluation uses (eval/top-k.ts), with the scores read
// back for the chosen items only. Items scored −∞ (a generative model's "not retrieved") are never
// recommended, so a row may hold fewer than K items.
import * as tf from "@tensorflow/tfjs-core";
import { topKOfTensor, type Exclusions } from "../eval/top-k.js";

export interface ScoredList {
  /** Item indices, best first. */
  readonly items: Int32Array;
  /** Their scores, in the same order. */
  readonly scores: Float32Array;
}

/** Does not dispose `scores`. `exclude[r]` lists the items row r may not recommend. */
export async function scoredTopK(scores: tf.Tensor2D, k: number, exclude?: Exclusions): Promise<ScoredList[]> {
  const [rows, width] = scores.shape;
  const lists = await topKOfTensor(scores, Math.max(0, Math.min(k, width)), { exclude, excludePad: true });
  // One gather for the whole batch: the chosen items' flat positions in the score matrix.
  const positions = new Int32Array(lists.reduce((n, l) => n + l.length, 0));
  let at = 0;
  lists.forEach((list, r) => list.forEach((item) => (positions[at++] = r * width + item)));
  let values: Float32Array;
  if (positions.length === 0) values = new Float32Array(0);
  else {
    const picked = tf.tidy(() => tf.gather(tf.reshape(scores, [rows * width]), tf.tensor1d(positions, "int32")));
    try {
      values = (await picked.data()) as Float32Array;
    } finally {
      picked.dispose();
    }
  }
  at = 0;
  return lists.map((list) => {
    const own = values.subarray(at, at + list.length);
    at += list.length;
    // Best first, so the unrankable (−∞) items are a tail to cut.
    let keep = own.length;
    while (keep > 0 && own[keep - 1] === -Infinity) keep--;
    return { items: list.slice(0, keep), scores: own.slice(0, keep) };
  });
}
