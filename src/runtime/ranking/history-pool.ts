// A user as the pool of their history's item vectors, candidate-independent so the whole catalogue
// can be scored per user. Takes the history's vectors h [B, T, E] and its left-padded ids [B·T]
// (0 = padding, which never counts); gives users [B, E]:
//   meanPool       the mean over the real items (zeros for an empty history);
//   attentionPool  Σ_t a_t h_t with a_t = softmax_t(q · tanh(W h_t + b)) over the real items, its
//                  weights in the scope's "key" (W, b) and "query" (q).
import * as tf from "@tensorflow/tfjs-core";
import { nativeMeanPool } from "../backend/native-mean-pool-kernels.js";
import { dense } from "../layers/dense.js";
import type { ParamStore } from "../layers/params.js";

/** 1 for a real item, 0 for padding: [B, T, 1]. A plain loop: Float32Array.from with a mapping
 * function is several times slower, and this runs on every training step. */
function realItems(histories: Int32Array, count: number): tf.Tensor3D {
  const T = histories.length / count;
  const keep = new Float32Array(histories.length);
  for (let i = 0; i < histories.length; i++) keep[i] = histories[i] === 0 ? 0 : 1;
  return tf.tensor3d(keep, [count, T, 1]);
}

export function meanPool(h: tf.Tensor3D, histories: Int32Array, count: number): tf.Tensor2D {
  return tf.tidy(() => {
    // One pass each way on the native addon; the same numbers as the ops below.
    const native = nativeMeanPool(h, histories);
    if (native !== undefined) return native;
    const keep = realItems(histories, count);
    const n = tf.maximum(tf.sum(keep, 1), 1);
    return tf.div(tf.sum(tf.mul(h, keep), 1), n) as tf.Tensor2D;
  });
}

export function attentionPool(h: tf.Tensor3D, histories: Int32Array, count: number, scope: ParamStore, dim: number): tf.Tensor2D {
  return tf.tidy(() => {
    const T = histories.length / count;
    const keep = realItems(histories, count);
    const hidden = dense(h, scope.scope("key"), dim, dim, { activation: "tanh" });
    const scores = dense(hidden, scope.scope("query"), dim, 1, { bias: false });
    const mask2 = tf.reshape(keep, [count, T]);
    const masked = tf.add(tf.reshape(scores, [count, T]), tf.mul(tf.sub(mask2, 1), 1e9));
    const weights = tf.expandDims(tf.mul(tf.softmax(masked), mask2), 2);
    return tf.sum(tf.mul(h, weights), 1) as tf.Tensor2D;
  });
}
