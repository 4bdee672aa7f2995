// Max-over-interests scores for training, with the max and its gradient mask found by a scan
// rather than by tf.max. Takes user interest vectors [B, H, D] and item vectors [N, D]; gives
// [B, N] = max_h <u_h, v_n>, the same values and gradient as layers/multi-interest.ts
// maxInterestScores (tf.max: dy reaches every head equal to the max, so exact ties share it as
// there). Why: tf.max's gradient compares x [B, H, N] with the broadcast max [B, 1, N] on device,
// and the wasm backend's broadcasting Equal is its slowest kernel by far (≈ 120 ms of a 240 ms step
// at B = N = 512, H = 4). On wasm the scans run as kernels on the heap
// (backend/max-over-heads-kernel.ts); elsewhere on host copies of the scores.
import * as tf from "@tensorflow/tfjs-core";
import { MAX_OVER_HEADS, MAX_OVER_HEADS_GRAD, maxOverHeadsGradInto, maxOverHeadsInto } from "../backend/max-over-heads-kernel.js";

/** [B, H, N] → [B, N] maximum over axis 1, gradient to the maximising entries (as tf.max). */
export const maxOverHeads = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const x = args[0] as tf.Tensor3D;
  const save = args[1] as tf.GradSaveFunc;
  const [b, h, n] = x.shape;
  if (tf.getKernel(MAX_OVER_HEADS, tf.getBackend()) !== undefined) {
    const value = tf.engine().runKernel(MAX_OVER_HEADS, { x }, {}) as tf.Tensor2D;
    save([x, value]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.engine().runKernel(MAX_OVER_HEADS_GRAD, { x: saved[0], best: saved[1], dy }, {}) as tf.Tensor3D,
    };
  }
  const data = x.dataSync() as Float32Array;
  const best = new Float32Array(b * n);
  maxOverHeadsInto(data, b, h, n, best);
  return {
    value: tf.tensor2d(best, [b, n]),
    // The scores and their maxima stay in these host arrays until the backward pass.
    gradFunc: (dy: tf.Tensor) => {
      const grad = new Float32Array(b * h * n);
      maxOverHeadsGradInto(data, best, dy.dataSync(), b, h, n, grad);
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
