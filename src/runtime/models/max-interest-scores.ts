// Max-over-interests scores for training, with the max and its gradient mask found by a scan
// rather than by tf.max. Takes user interest vectors [B, H, D] and item vectors [N, D]; gives
// [B, N] = max_h <u_h, v_n>, the same values and gradient as layers/multi-interest.ts
// maxInterestScores (tf.max: dy reaches every head equal to the max, so exact ties share it as
// there). Why: tf.max's gradient compares x [B, H, N] with the broadcast max [B, 1, N] on device,
// and the wasm backend's broadcasting Equal is its slowest kernel by far (≈ 120 ms of a 240 ms step
// at B = N = 512, H = 4). On wasm the scans run as kernels on the heap
// (backend/max-over-heads-kernel.ts); elsewhere as tf.max and an equality mask on the device.
import * as tf from "@tensorflow/tfjs-core";
import { MAX_OVER_HEADS, MAX_OVER_HEADS_GRAD } from "../backend/max-over-heads-kernel.js";

/** [B, H, N] → [B, N] maximum over axis 1, gradient to the maximising entries (as tf.max). */
export const maxOverHeads = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const x = args[0] as tf.Tensor3D;
  const save = args[1] as tf.GradSaveFunc;
  const [b, , n] = x.shape;
  if (tf.getKernel(MAX_OVER_HEADS, tf.getBackend()) !== undefined) {
    const value = tf.engine().runKernel(MAX_OVER_HEADS, { x }, {}) as tf.Tensor2D;
    save([x, value]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.engine().runKernel(MAX_OVER_HEADS_GRAD, { x: saved[0], best: saved[1], dy }, {}) as tf.Tensor3D,
    };
  }
  // Elsewhere (cpu, webgpu) tf ops on the device: no read-back, which a GPU has only awaited.
  const value = tf.max(x, 1) as tf.Tensor2D;
  save([x, value]);
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [input, best] = saved;
      const mask = tf.cast(tf.equal(input, tf.reshape(best, [b, 1, n])), "float32");
      return tf.mul(mask, tf.reshape(dy, [b, 1, n])) as tf.Tensor3D;
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
