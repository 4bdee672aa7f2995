// Paired bootstrap of the difference between two rankers evaluated on the same users. Takes two
// per-user value arrays (model, baseline), the slice's user mask, the bootstrap options and the
// slice name; gives the mean of model − baseline with the percentile interval of that mean over
// the very resamples the two marginal intervals were drawn from. Two overlapping marginal
// intervals do not say which ranker is better; this interval does, since it keeps each user's pair.
import { bootstrapMean, sliceResampler, type BootstrapOptions, type Interval } from "./bootstrap.js";

/** Mean and paired percentile interval of a[u] − b[u] over the users of `mask` (a slice). */
export function pairedDifference(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  mask: ArrayLike<number>,
  slice: string,
  options: Omit<BootstrapOptions, "rng"> = {},
): Interval {
  if (a.length !== b.length) throw new Error(`pairedDifference: ${a.length} values against ${b.length}`);
  const diff = new Float64Array(a.length);
  for (let u = 0; u < a.length; u++) diff[u] = a[u] - b[u];
  // The mean of the differences over a resample is the difference of the two resampled means,
  // because the slice's generator draws the same users for both (see EvalAccumulator.finish).
  return bootstrapMean(diff, { ...options, rng: sliceResampler(options.seed ?? 0, slice) }, mask);
}
