// Binary logistic loss from logits. Takes logits z and labels y in [0, 1] (hard or soft) of the
// same shape, optional per-example weights; gives the (weighted) mean of
//   max(z, 0) − z·y + log(1 + exp(−|z|)),
// which equals −y·log σ(z) − (1−y)·log(1−σ(z)) but never overflows: exp only sees −|z| ≤ 0.
// The gradient is set to σ(z) − y explicitly: autodiff through max and |z| would give the
// subgradient −y at z = 0 instead of ½ − y, and zero logits are common at initialisation.
import * as tf from "@tensorflow/tfjs-core";
import { weightedMean } from "./weighted-mean.js";

export interface BinaryCrossEntropyOptions {
  /** Per-example weights, same size as the logits; the loss is Σ w·l / Σ w. */
  weights?: tf.Tensor;
}

/** Elementwise logistic loss with gradient dy·(σ(z) − y) for z and dy·(−z) for y. */
export function binaryCrossEntropyPerExample<T extends tf.Tensor>(logits: T, labels: tf.Tensor): T {
  if (!tf.util.arraysEqual(logits.shape, labels.shape)) {
    throw new Error(`binaryCrossEntropy: logits [${logits.shape}] and labels [${labels.shape}] differ in shape`);
  }
  const bce = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const z = args[0] as tf.Tensor;
    const y = args[1] as tf.Tensor;
    const save = args[2] as tf.GradSaveFunc;
    const value = tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
    save([z, y]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [zs, ys] = saved;
        return [tf.mul(dy, tf.sub(tf.sigmoid(zs), ys)), tf.mul(dy, tf.neg(zs))];
      },
    };
  });
  return tf.tidy(() => bce(logits, labels.dtype === "float32" ? labels : tf.cast(labels, "float32"))) as T;
}

/** Mean (or weighted mean) logistic loss over all elements. */
export function binaryCrossEntropy(logits: tf.Tensor, labels: tf.Tensor, options: BinaryCrossEntropyOptions = {}): tf.Scalar {
  return tf.tidy(() => weightedMean(binaryCrossEntropyPerExample(logits, labels), options.weights ?? null));
}
