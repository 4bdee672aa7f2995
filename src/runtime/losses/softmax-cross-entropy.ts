// Softmax cross-entropy over a large catalogue without a one-hot. Takes logits [N, C] and integer
// targets [N] (0 = padding, left out of the mean by default), optional per-example weights and
// label smoothing ε; gives the (weighted) mean of logsumexp(z) − z[target] (smoothed form below).
// The gradient is custom: softmax(z) − onehot(target), built from the softmax by overwriting the
// N target entries in place of the catalogue-sized one-hot that autodiff of gather would need
// (and the wasm backend has no kernel for the gather gradient anyway). On the wasm backend with the
// native addon, the log-sum-exp and the gradient are one pass each over the logits
// (backend/native-softmax-xent-kernels.ts).
import * as tf from "@tensorflow/tfjs-core";
import { nativeLogSumExpRows, nativeSoftmaxXentGrad } from "../backend/native-softmax-xent-kernels.js";
import { weightedMean } from "./weighted-mean.js";

export interface SoftmaxCrossEntropyOptions {
  /** Per-example weights [N]; the loss is Σ w·l / Σ w over the examples that are not ignored. */
  weights?: tf.Tensor1D;
  /** Label smoothing ε: the target distribution is (1−ε)·onehot + ε/C over all C classes. */
  labelSmoothing?: number;
  /** Target id whose examples are left out of the mean (default 0, the padding item); null keeps all. */
  ignoreIndex?: number | null;
}

/**
 * Per-example cross-entropy [N] of logits [N, C] against targets [N]:
 *   l = logsumexp(z) − (1−ε)·z[t] − (ε/C)·Σ_j z_j.
 * Its gradient with respect to z is dy·(softmax(z) − (1−ε)·onehot(t) − ε/C); no gradient flows to
 * the targets. Targets must lie in [0, C) (not checked, to avoid a device read every step).
 */
export function softmaxCrossEntropyPerExample(logits: tf.Tensor2D, targets: tf.Tensor1D, labelSmoothing = 0): tf.Tensor1D {
  if (logits.rank !== 2) throw new Error(`softmaxCrossEntropy: logits must be [N, C], got [${logits.shape}]`);
  if (targets.rank !== 1 || targets.shape[0] !== logits.shape[0]) {
    throw new Error(`softmaxCrossEntropy: targets [${targets.shape}] do not match logits [${logits.shape}]`);
  }
  const eps = labelSmoothing;
  if (!(eps >= 0 && eps < 1)) throw new Error(`softmaxCrossEntropy: label smoothing must be in [0, 1), got ${eps}`);
  const ce = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const z = args[0] as tf.Tensor2D;
    const t = args[1] as tf.Tensor1D;
    const save = args[2] as tf.GradSaveFunc;
    const [n, c] = z.shape;
    const lse = nativeLogSumExpRows(z) ?? tf.logSumExp(z, 1);
    // Target logits through a flat view: row i's target sits at i·C + t_i.
    const flatIndex = tf.add(tf.mul(tf.range(0, n, 1, "int32"), tf.scalar(c, "int32")), t);
    const targetLogit = tf.gather(tf.reshape(z, [n * c]), flatIndex);
    let loss = tf.sub(lse, eps === 0 ? targetLogit : tf.mul(targetLogit, 1 - eps));
    if (eps > 0) loss = tf.sub(loss, tf.mul(tf.sum(z, 1), eps / c));
    save([z, lse, t]);
    return {
      value: loss as tf.Tensor1D,
      gradFunc: (dy: tf.Tensor1D, saved: tf.Tensor[]) => {
        const [zs, lses, ts] = saved as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
        const grad = nativeSoftmaxXentGrad(zs, lses, ts, dy, eps) ?? softmaxMinusTarget(zs, lses, ts, dy, eps);
        return [grad, tf.zeros(ts.shape)];
      },
    };
  });
  return tf.tidy(() => ce(logits, toInt32(targets)) as tf.Tensor1D);
}

/** Mean (or weighted mean) softmax cross-entropy, leaving out examples whose target is ignoreIndex. */
export function softmaxCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D, options: SoftmaxCrossEntropyOptions = {}): tf.Scalar {
  return tf.tidy(() => {
    const t = toInt32(targets);
    const perExample = softmaxCrossEntropyPerExample(logits, t, options.labelSmoothing ?? 0);
    const ignore = options.ignoreIndex === undefined ? 0 : options.ignoreIndex;
    const mask = ignore === null ? null : tf.notEqual(t, ignore);
    return weightedMean(perExample, options.weights ?? null, mask);
  });
}

/**
 * dy[:, None] · (softmax(z) − (1−ε)·onehot(t) − ε/C), keeping at most two [N, C] buffers alive at
 * once (an op's input and output): each step disposes its input as soon as the output exists.
 */
function softmaxMinusTarget(z: tf.Tensor2D, lse: tf.Tensor1D, t: tf.Tensor1D, dy: tf.Tensor1D, eps: number): tf.Tensor2D {
  const [n, c] = z.shape;
  const dyCol = tf.reshape(dy, [n, 1]);
  const shifted = tf.sub(z, tf.reshape(lse, [n, 1]));
  let g = tf.exp(shifted) as tf.Tensor2D;
  shifted.dispose();
  if (eps > 0) g = replace(g, tf.sub(g, eps / c));
  g = replace(g, tf.mul(g, dyCol));
  // Subtract dy·(1−ε) at the N target entries only: read them, update them, write them back.
  const at = tf.stack([tf.range(0, n, 1, "int32"), t], 1);
  const updated = tf.sub(tf.gatherND(g, at), tf.mul(dy, 1 - eps));
  return replace(g, tf.tensorScatterUpdate(g, at, updated));
}

/** Returns `next` after disposing `prev`, to free a [N, C] buffer before the next one is made. */
function replace<T extends tf.Tensor>(prev: tf.Tensor, next: T): T {
  prev.dispose();
  return next;
}

function toInt32(t: tf.Tensor1D): tf.Tensor1D {
  return t.dtype === "int32" ? t : tf.cast(t, "int32");
}
