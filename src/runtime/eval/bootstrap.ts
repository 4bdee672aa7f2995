// Bootstrap confidence intervals for a per-user mean. Takes per-user metric values (optionally a
// 0/1 mask choosing the users of a slice) and a seed; gives {mean, low, high, n} where [low, high]
// is the percentile interval of the means of resamples drawn with replacement.
import { Rng } from "../random.js";

export interface BootstrapOptions {
  /** Number of resamples (default 1000). */
  resamples?: number;
  /** Two-sided confidence level (default 0.95). */
  confidence?: number;
  /** Seed for the resampling (default 0); the same seed and values give the same interval. */
  seed?: number;
  /** Generator to draw from instead of a fresh one seeded with `seed`. */
  rng?: Rng;
}

export interface Interval {
  mean: number;
  low: number;
  high: number;
  n: number;
}

/** Mean and percentile bootstrap interval of `values` (restricted to `mask[i] !== 0` when given). */
export function bootstrapMean(values: ArrayLike<number>, options: BootstrapOptions = {}, mask?: ArrayLike<number>): Interval {
  const picked = select(values, mask);
  const n = picked.length;
  if (n === 0) return { mean: NaN, low: NaN, high: NaN, n: 0 };
  let total = 0;
  for (let i = 0; i < n; i++) total += picked[i];
  const mean = total / n;

  const resamples = Math.max(1, Math.floor(options.resamples ?? 1000));
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) {
    throw new Error(`bootstrapMean: confidence must be in (0, 1), got ${confidence}`);
  }
  const rng = options.rng ?? new Rng(options.seed ?? 0);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += picked[rng.int(n)];
    means[b] = s / n;
  }
  means.sort();
  const alpha = (1 - confidence) / 2;
  return { mean, low: quantile(means, alpha), high: quantile(means, 1 - alpha), n };
}

/**
 * The generator of a slice's resamples: the same seed and slice draw the same users in every
 * resample, so a model, its baselines and their per-user differences are resampled in pairs.
 */
export function sliceResampler(seed: number, slice: string): Rng {
  return new Rng(seed).fork(slice);
}

/** Linear-interpolation quantile of sorted values (the "type 7" definition used by numpy). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

function select(values: ArrayLike<number>, mask?: ArrayLike<number>): Float64Array {
  if (mask === undefined) return Float64Array.from(values as ArrayLike<number>);
  if (mask.length !== values.length) {
    throw new Error(`bootstrapMean: mask has ${mask.length} entries for ${values.length} values`);
  }
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) n++;
  const out = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) out[j++] = values[i];
  return out;
}
