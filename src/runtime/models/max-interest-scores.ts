// Max-over-interests scores for training, with the max and its gradient mask found on the host.
// Takes user interest vectors [B, H, D] and item vectors [N, D]; gives [B, N] = max_h <u_h, v_n>,
// the same values and gradient as layers/multi-interest.ts maxInterestScores (tf.max: dy reaches
// every head equal to the max, so exact ties share it as there). Why: tf.max's gradient compares
// x [B, H, N] with the broadcast max [B, 1, N] on device, and the wasm backend's broadcasting Equal
// is its slowest kernel by far (≈ 120 ms of a 240 ms step at B = N = 512, H = 4). Reading the scores
// once and scanning them in JavaScript costs a few milliseconds; the backward pass is then one
// broadcast multiply by a constant 0/1 mask.
import * as tf from "@tensorflow/tfjs-core";

/** [B, H, N] → [B, N] maximum over axis 1, gradient to the maximising entries (as tf.max). */
export const maxOverHeads = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const x = args[0] as tf.Tensor3D;
  const [b, h, n] = x.shape;
  const data = x.dataSync() as Float32Array;
  const best = new Float32Array(b * n);
  for (let i = 0; i < b; i++) {
    const o = i * n;
    const first = i * h * n;
    for (let j = 0; j < n; j++) best[o + j] = data[first + j];
    for (let k = 1; k < h; k++) {
      const base = first + k * n;
      for (let j = 0; j < n; j++) {
        const v = data[base + j];
        if (v > best[o + j]) best[o + j] = v;
      }
    }
  }
  return {
    value: tf.tensor2d(best, [b, n]),
    // The scores and their maxima stay in these host arrays until the backward pass (no tensors to
    // keep alive); dy goes to every entry equal to its column's maximum.
    gradFunc: (dy: tf.Tensor) => {
      const g = dy.dataSync();
      const grad = new Float32Array(b * h * n);
      for (let i = 0; i < b; i++) {
        const o = i * n;
        for (let k = 0; k < h; k++) {
          const base = (i * h + k) * n;
          for (let j = 0; j < n; j++) if (data[base + j] === best[o + j]) grad[base + j] = g[o + j];
        }
      }
      return tf.tensor3d(grad, [b, h, n]);
    },
  };
}) as (x: tf.Tensor3D) => tf.Tensor2D;

/** Training scores [B, N] = max_h <users[b, h], items[n]> for users [B, H, D], items [N, D]. */
export function maxInterestTrainingScores(users: tf.Tensor, items: tf.Tensor): tf.Tensor2D {
  const [b, h, d] = users.shape;
  const n = items.shape[0];
  return tf.tidy((): tf.Tensor2D => {
    const all: tf.Tensor2D = tf.matMul(tf.reshape(users, [b * h, d]) as tf.Tensor2D, items as tf.Tensor2D, false, true);
    if (h === 1) return all;
    return maxOverHeads(tf.reshape(all, [b, h, n]) as tf.Tensor3D);
  });
}
