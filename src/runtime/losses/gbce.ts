// gBCE, the generalised binary cross-entropy of gSASRec (Petrov & Macdonald 2023). Takes the
// positives' logits [P], the sampled negatives' logits [P, K], β, and an optional 0/1 mask of
// the negatives [P·K] (0 leaves out an accidental hit); gives the mean over the P·(K + 1) entries of
//   −log σ(s⁺)^β = β·softplus(−s⁺)   and   −log(1 − σ(s⁻)) = softplus(s⁻),
// the same normalisation as the reference's BCE-with-logits over [positive, negatives]. On the wasm
// backend with the native addon the negatives' terms are one pass each way
// (backend/native-softplus-rows-kernels.ts).
// Why β: with K of the N − 1 other items as negatives, plain BCE learns σ(s) that overstate the
// positive's probability; raising it to β = α(t(1 − 1/α) + 1/α), α = K / (N − 1), undoes that
// (t = 0: β = 1, plain BCE; t = 1: β = α, fully calibrated; gSASRec's default t = 0.75).
import * as tf from "@tensorflow/tfjs-core";
import { nativeSoftplusRows } from "../backend/native-softplus-rows-kernels.js";
import { binaryCrossEntropyPerExample } from "./bce.js";

/** β of gBCE for `negatives` of `numItems` catalogue items and calibration t ∈ [0, 1]. */
export function gbceBeta(negatives: number, numItems: number, t: number): number {
  if (!(numItems > 1)) throw new Error(`gbce: the catalogue needs at least 2 items, got ${numItems}`);
  if (!(negatives >= 1)) throw new Error(`gbce: at least 1 negative, got ${negatives}`);
  if (!(t >= 0 && t <= 1)) throw new Error(`gbce: t must lie in [0, 1], got ${t}`);
  const alpha = negatives / (numItems - 1);
  return alpha * (t * (1 - 1 / alpha) + 1 / alpha);
}

export interface GbceOptions {
  /** 0/1 per negative, row-major [P·K] on the host; 0 drops that term (the denominator stays P·(K + 1)). */
  negativeMask?: Float32Array;
  /** The dropped terms as ascending flat indices i·K + j instead (when there is no negativeMask). */
  hits?: Int32Array;
}

/** Mean gBCE over the positive and negative entries of every row. */
export function gbceLoss(positive: tf.Tensor1D, negatives: tf.Tensor2D, beta: number, options: GbceOptions = {}): tf.Scalar {
  const [p, k] = negatives.shape;
  if (positive.rank !== 1 || positive.shape[0] !== p) throw new Error(`gbce: positives [${positive.shape}] do not match negatives [${negatives.shape}]`);
  const given = options.negativeMask;
  if (given !== undefined && given.length !== p * k) throw new Error(`gbce: mask has ${given.length} entries for [${p}, ${k}] negatives`);
  return tf.tidy(() => {
    // The label-1 logistic loss is softplus(−s⁺); β scales it.
    const pos = tf.mul(tf.sum(binaryCrossEntropyPerExample(positive, tf.onesLike(positive))), beta);
    // The label-0 one is softplus(s⁻): one native pass over the rows when the backend has it.
    const rows = options.negativeMask === undefined ? nativeSoftplusRows(negatives, options.hits ?? new Int32Array(0)) : undefined;
    if (rows !== undefined) return tf.div(tf.add(pos, tf.sum(rows)), p * (k + 1)) as tf.Scalar;
    const mask = given ?? (options.hits === undefined || options.hits.length === 0 ? undefined : maskOf(options.hits, p * k));
    let neg: tf.Tensor = binaryCrossEntropyPerExample(negatives, tf.zerosLike(negatives));
    if (mask !== undefined) neg = tf.mul(neg, tf.tensor2d(mask, [p, k]));
    return tf.div(tf.add(pos, tf.sum(neg)), p * (k + 1)) as tf.Scalar;
  });
}

/** The 0/1 mask [size] that is 0 at `hits`. */
function maskOf(hits: Int32Array, size: number): Float32Array {
  const mask = new Float32Array(size).fill(1);
  for (const h of hits) mask[h] = 0;
  return mask;
}
