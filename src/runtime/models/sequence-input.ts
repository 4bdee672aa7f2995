// Host-side preparation of left-padded histories for sequence encoders. Takes histories [B, T]
// (row-major Int32Array, padding 0 on the left); gives them cut to the L most recent columns that
// hold any real item in the batch, as an int32 tensor plus a 0/1 float mask, and the offset of the
// first kept column. Leading all-padding columns change nothing for real positions (they are
// masked keys, and with left padding every real position lies to their right), so dropping them
// saves work: on Amazon Beauty (≈ 9 items per user, T = 50) most of a batch is padding.
import * as tf from "@tensorflow/tfjs-core";

export interface TrimmedHistories {
  /** [B, L] item ids. */
  ids: tf.Tensor2D;
  /** [B, L] 1 for real items, 0 for padding. */
  mask: tf.Tensor2D;
  /** The same ids on the host, [B, L] row-major. */
  host: Int32Array;
  batch: number;
  /** Kept columns L ≥ 1. */
  length: number;
  /** Index in 0..T−1 of the first kept column (for learned positions of the untrimmed window). */
  offset: number;
}

/** The number of trailing columns that hold a real item in at least one row (at least 1). */
export function usedLength(histories: Int32Array, count: number, t: number): number {
  let first = t - 1;
  for (let b = 0; b < count; b++) {
    const row = b * t;
    for (let j = 0; j < first; j++) {
      if (histories[row + j] !== 0) {
        first = j;
        break;
      }
    }
    if (first === 0) break;
  }
  return t - first;
}

/** Trims histories [count, T] to their used length; the caller disposes ids and mask. */
export function trimHistories(histories: Int32Array, count: number, t: number): TrimmedHistories {
  if (histories.length !== count * t) {
    throw new Error(`histories hold ${histories.length} ids, expected ${count} × ${t}`);
  }
  const length = usedLength(histories, count, t);
  const offset = t - length;
  const host = new Int32Array(count * length);
  const maskHost = new Float32Array(count * length);
  for (let b = 0; b < count; b++) {
    for (let j = 0; j < length; j++) {
      const id = histories[b * t + offset + j];
      host[b * length + j] = id;
      maskHost[b * length + j] = id === 0 ? 0 : 1;
    }
  }
  return {
    ids: tf.tensor2d(host, [count, length], "int32"),
    mask: tf.tensor2d(maskHost, [count, length]),
    host,
    batch: count,
    length,
    offset,
  };
}
