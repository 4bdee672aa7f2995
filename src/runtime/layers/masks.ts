// Additive attention biases. Takes a key padding mask or sequence lengths; gives tensors of 0
// (attend) and −1e9 (ignore) that broadcast against scores [B, heads, Tq, Tk]. Built from
// constants in JavaScript or with plain arithmetic: no cumsum, no comparison ops to differentiate.
import * as tf from "@tensorflow/tfjs-core";

/** Added to a masked score: exp(−1e9 − max) underflows to exactly 0 in float32. */
export const MASKED = -1e9;

/**
 * Bias [B, 1, 1, Tk] from a key mask [B, Tk] holding 1 (or true) for real keys and 0 for padding.
 */
export function paddingBias(keyMask: tf.Tensor): tf.Tensor4D {
  if (keyMask.rank !== 2) throw new Error(`paddingBias: mask must be [B, Tk], got [${keyMask.shape}]`);
  const [b, tk] = keyMask.shape;
  return tf.tidy(() => tf.reshape(tf.mul(tf.sub(1, tf.cast(keyMask, "float32")), MASKED), [b, 1, 1, tk]));
}

/**
 * Bias [Tq, Tk] letting query i see keys j ≤ i + (Tk − Tq): the usual lower triangle when Tq = Tk,
 * and the right alignment when queries are the last Tq positions of the keys (incremental decoding).
 */
export function causalBias(tq: number, tk: number): tf.Tensor2D {
  const values = new Float32Array(tq * tk);
  const offset = tk - tq;
  for (let i = 0; i < tq; i++) {
    for (let j = i + offset + 1; j < tk; j++) values[i * tk + j] = MASKED;
  }
  return tf.tensor2d(values, [tq, tk]);
}

/** A key mask [B, T] from ids [B, T]: 1 where id ≠ padId (default 0), else 0. */
export function maskFromIds(ids: tf.Tensor, padId = 0): tf.Tensor {
  return tf.tidy(() => tf.cast(tf.notEqual(ids, padId), "float32"));
}

/** Sum of biases, skipping absent ones; undefined when none is given. */
export function combineBiases(...biases: (tf.Tensor | undefined)[]): tf.Tensor | undefined {
  const present = biases.filter((b): b is tf.Tensor => b !== undefined);
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  return tf.tidy(() => present.reduce((acc, b) => tf.add(acc, b)));
}
