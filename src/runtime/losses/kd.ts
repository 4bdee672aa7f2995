// Knowledge-distillation losses. Takes student logits, teacher probabilities already at the
// distillation temperature τ (so teacher transforms can be applied beforehand) and hard targets;
// gives (1−λ)·CE(y, q) + λ·τ²·KL(p_τ^teacher ‖ q_τ), with q_τ = softmax(z/τ), as a weighted mean,
// plus the KL piece on its own and the same pair for a single logistic output.
// τ² keeps the soft term's gradient on the scale of the hard term's as τ grows (Hinton et al. 2015).
import * as tf from "@tensorflow/tfjs-core";
import { binaryCrossEntropyPerExample } from "./bce.js";
import { softmaxCrossEntropyPerExample } from "./softmax-cross-entropy.js";
import { weightedMean } from "./weighted-mean.js";

/** Floor inside log p, so that p = 0 contributes 0·log(floor) = 0 rather than 0·(−∞) = NaN. */
const PROB_FLOOR = 1e-30;

export interface KdOptions {
  /** Weight λ of the distillation term, in [0, 1]. */
  lambda: number;
  /** Temperature τ > 0 at which the teacher probabilities were computed. */
  temperature: number;
  /** Per-example weights [N], applied to both terms. */
  weights?: tf.Tensor1D;
  /** Target id whose examples are left out of both terms (default 0, the padding item); null keeps all. */
  ignoreIndex?: number | null;
}

/**
 * Per-example KL(p ‖ softmax(z/τ)) [N] for teacher probabilities p [N, C]. Written as
 *   Σ p·log p + logsumexp(z/τ)·Σ p − Σ p·z/τ
 * so that no log-softmax [N, C] is formed. The gradient is custom, dy·(softmax(z/τ)·Σp − p)/τ,
 * built in place from the saved logsumexp: autodiff of the expression above keeps and walks
 * several more catalogue-sized buffers, which made the distillation term ~8× the cost of the
 * cross-entropy beside it on a 6k-item catalogue. No gradient flows to the teacher (p).
 */
export function distillationKlPerExample(studentLogits: tf.Tensor2D, teacherProbs: tf.Tensor2D, temperature: number): tf.Tensor1D {
  checkTemperature(temperature);
  if (!tf.util.arraysEqual(studentLogits.shape, teacherProbs.shape)) {
    throw new Error(`kd: student [${studentLogits.shape}] and teacher [${teacherProbs.shape}] shapes differ`);
  }
  const kl = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const z = args[0] as tf.Tensor2D;
    const p = args[1] as tf.Tensor2D;
    const save = args[2] as tf.GradSaveFunc;
    const scaled = temperature === 1 ? z : tf.mul(z, 1 / temperature);
    const lse = tf.logSumExp(scaled, 1);
    const negEntropy = tf.sum(tf.mul(p, tf.log(tf.maximum(p, PROB_FLOOR))), 1);
    const mass = tf.sum(p, 1);
    const cross = tf.sub(tf.mul(lse, mass), tf.sum(tf.mul(p, scaled), 1));
    save([scaled, lse, p, mass]);
    return {
      value: tf.add(negEntropy, cross) as tf.Tensor1D,
      gradFunc: (dy: tf.Tensor1D, saved: tf.Tensor[]) => {
        const [zs, lses, ps, masses] = saved as [tf.Tensor2D, tf.Tensor1D, tf.Tensor2D, tf.Tensor1D];
        const n = zs.shape[0];
        // softmax(z/τ)·Σp − p, scaled by dy/τ per row; each step frees its [N, C] input.
        const shifted = tf.sub(zs, tf.reshape(lses, [n, 1]));
        let g: tf.Tensor = tf.exp(shifted);
        shifted.dispose();
        g = replace(g, tf.mul(g, tf.reshape(masses, [n, 1])));
        g = replace(g, tf.sub(g, ps));
        g = replace(g, tf.mul(g, tf.reshape(tf.mul(dy, 1 / temperature), [n, 1])));
        return [g as tf.Tensor2D, tf.zerosLike(ps)];
      },
    };
  });
  return tf.tidy(() => kl(studentLogits, teacherProbs) as tf.Tensor1D);
}

/** Returns `next` after disposing `prev`, to free a [N, C] buffer before the next one is made. */
function replace<T extends tf.Tensor>(prev: tf.Tensor, next: T): T {
  prev.dispose();
  return next;
}

/** (1−λ)·CE(targets, softmax(z)) + λ·τ²·KL(teacher ‖ softmax(z/τ)), each a weighted mean. */
export function kdLoss(studentLogits: tf.Tensor2D, teacherProbs: tf.Tensor2D, targets: tf.Tensor1D, options: KdOptions): tf.Scalar {
  const { lambda, temperature } = options;
  checkLambda(lambda);
  checkTemperature(temperature);
  return tf.tidy(() => {
    const ignore = options.ignoreIndex === undefined ? 0 : options.ignoreIndex;
    const mask = ignore === null ? null : tf.notEqual(targets, ignore);
    const weights = options.weights ?? null;
    // Skip a term whose weight is 0: no wasted work, and λ = 0 gives exactly the plain CE.
    const hard = () => weightedMean(softmaxCrossEntropyPerExample(studentLogits, targets), weights, mask);
    const soft = () => weightedMean(distillationKlPerExample(studentLogits, teacherProbs, temperature), weights, mask);
    if (lambda === 0) return hard();
    if (lambda === 1) return tf.mul(soft(), temperature * temperature) as tf.Scalar;
    return tf.add(tf.mul(hard(), 1 - lambda), tf.mul(soft(), lambda * temperature * temperature)) as tf.Scalar;
  });
}

/**
 * Per-example KL(Bernoulli(p) ‖ Bernoulli(σ(z/τ))) for a logistic output: the logistic loss of z/τ
 * against the soft label p, minus the teacher's entropy H(p) (constant in z; kept so the value is a
 * true KL, zero when student and teacher agree).
 */
export function binaryDistillationKlPerExample<T extends tf.Tensor>(studentLogits: T, teacherProbs: tf.Tensor, temperature: number): T {
  checkTemperature(temperature);
  return tf.tidy(() => {
    const scaled = temperature === 1 ? studentLogits : tf.div(studentLogits, temperature);
    const p = teacherProbs;
    const q = tf.sub(1, p);
    const negEntropy = tf.add(tf.mul(p, tf.log(tf.maximum(p, PROB_FLOOR))), tf.mul(q, tf.log(tf.maximum(q, PROB_FLOOR))));
    return tf.add(binaryCrossEntropyPerExample(scaled, p), negEntropy) as T;
  });
}

export interface BinaryKdOptions {
  lambda: number;
  temperature: number;
  /** Per-example weights, same size as the logits, applied to both terms. */
  weights?: tf.Tensor;
}

/** (1−λ)·BCE(labels, σ(z)) + λ·τ²·KL(Bernoulli(teacher) ‖ Bernoulli(σ(z/τ))), each a weighted mean. */
export function binaryKdLoss(studentLogits: tf.Tensor, teacherProbs: tf.Tensor, labels: tf.Tensor, options: BinaryKdOptions): tf.Scalar {
  const { lambda, temperature } = options;
  checkLambda(lambda);
  checkTemperature(temperature);
  return tf.tidy(() => {
    const weights = options.weights ?? null;
    const hard = () => weightedMean(binaryCrossEntropyPerExample(studentLogits, labels), weights);
    const soft = () => weightedMean(binaryDistillationKlPerExample(studentLogits, teacherProbs, temperature), weights);
    if (lambda === 0) return hard();
    if (lambda === 1) return tf.mul(soft(), temperature * temperature) as tf.Scalar;
    return tf.add(tf.mul(hard(), 1 - lambda), tf.mul(soft(), lambda * temperature * temperature)) as tf.Scalar;
  });
}

function checkLambda(lambda: number): void {
  if (!(lambda >= 0 && lambda <= 1)) throw new Error(`kd: lambda must be in [0, 1], got ${lambda}`);
}

function checkTemperature(temperature: number): void {
  if (!(temperature > 0)) throw new Error(`kd: temperature must be positive, got ${temperature}`);
}
