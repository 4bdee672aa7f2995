// The reduction shared by the losses: takes per-example losses [N] with optional per-example
// weights and a 0/1 mask (e.g. padding targets left out), gives the scalar Σ w·m·l / Σ w·m.
// When every example is masked out the result is 0, not NaN, so one all-padding batch cannot
// poison a training run.
import * as tf from "@tensorflow/tfjs-core";

/** Smallest denominator used; only reached when all weights are zero, where the numerator is 0 too. */
const TINY = 1e-12;

/** Weighted mean of `perExample` over the examples with mask 1 (all of them when no mask). */
export function weightedMean(perExample: tf.Tensor, weights?: tf.Tensor | null, mask?: tf.Tensor | null): tf.Scalar {
  return tf.tidy(() => {
    let w: tf.Tensor | null = weights ?? null;
    if (mask !== undefined && mask !== null) {
      const m = mask.dtype === "float32" ? mask : tf.cast(mask, "float32");
      w = w === null ? m : tf.mul(w, m);
    }
    if (w === null) return tf.mean(perExample);
    if (w.size !== perExample.size) {
      throw new Error(`weightedMean: ${w.size} weights for ${perExample.size} examples`);
    }
    const wf = tf.reshape(w, perExample.shape);
    return tf.div(tf.sum(tf.mul(perExample, wf)), tf.maximum(tf.sum(wf), TINY));
  });
}
