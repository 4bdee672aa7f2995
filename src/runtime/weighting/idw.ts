// Iterative density weighting (IDW, Mehta et al. 2023; PAPERS.md §1). Takes a two-tower model, the
// `idw(...)` settings and a training callback; gives the item weights after each reweighting and
// the per-example weights the loss reads (through the model's setItemWeights hook).
//
// Item weights w live over ids 0..N (0 is the padding item and always 0) and sum to 1:
//   start  w_i = count_i / N_targets (so the per-example weight w_i / count_i is uniform);
//   each iteration
//     1. embed every item with the item tower;
//     2. draw `sample` items with probability w (with replacement, seeded), add N(0, noise²) to
//        their embeddings, fit a Gaussian KDE with Scott's bandwidth (kde.ts);
//     3. d_i = KDE(e_i) + 1e-4, w̃_i = (1/d_i) / Σ_j (1/d_j) over the real items;
//     4. w ← m·w + (1 − m)·w̃; the per-example weight of a target i is w_i / count_i;
//     5. continue training (the caller's `train`), unless max|w_new − w_old| < tolerance: then
//        the previous iteration already trained on weights within tolerance of these, so IDW
//        stops there; it also stops after `iterations` reweightings.
// The densities are handled in log space: in 64 dimensions they under- or overflow float64.
import * as tf from "@tensorflow/tfjs-core";
import { Rng } from "../random.js";
import { fitKde, kdeLogDensity, type Bandwidth } from "./kde.js";

/** The settings of `idw(...)` (calibration is calibrate.ts's business). */
export interface IdwSettings {
  /** m of step 4, in [0, 1). */
  momentum: number;
  /** Stop once no weight moves by this much. */
  tolerance: number;
  /** At most this many reweightings. */
  iterations: number;
  /** Epochs of training after each reweighting (at most; early stopping may cut them). */
  epochs: number;
  /** Items drawn for the KDE. */
  sample: number;
  /** Standard deviation of the noise added to the drawn embeddings. */
  noise: number;
  /** KDE bandwidth matrix (default "full", as scipy's gaussian_kde); see kde.ts. */
  bandwidth?: Bandwidth;
}

/** The density floor of step 3 (PAPERS.md §1). */
export const DENSITY_FLOOR = 1e-4;

/** What IDW needs of the model: its catalogue size, target counts and item vectors. */
export interface ItemEmbedder {
  readonly numItems: number;
  /** [n, D] item-tower vectors of the given ids (inference mode). */
  itemVectors(ids: tf.Tensor1D): tf.Tensor2D;
}

/** w_i = count_i / Σ count over ids 0..N (count_0, the pad, is ignored and w_0 = 0). */
export function initialItemWeights(counts: ArrayLike<number>): Float64Array {
  const w = new Float64Array(counts.length);
  let total = 0;
  for (let i = 1; i < counts.length; i++) total += counts[i];
  if (!(total > 0)) throw new Error("IDW: no training targets to weight");
  for (let i = 1; i < counts.length; i++) w[i] = counts[i] / total;
  return w;
}

/** `n` ids drawn with probability ∝ w (with replacement), by inverse-CDF lookup; seeded by rng. */
export function sampleByWeight(w: ArrayLike<number>, n: number, rng: Rng): Int32Array {
  const cdf = new Float64Array(w.length);
  let total = 0;
  for (let i = 0; i < w.length; i++) {
    if (!(w[i] >= 0)) throw new Error(`IDW: weight ${i} is ${w[i]}, weights must be non-negative`);
    total += w[i];
    cdf[i] = total;
  }
  if (!(total > 0)) throw new Error("IDW: the weights sum to 0, nothing to sample");
  const out = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    const r = rng.next() * total;
    // First index whose cumulative weight exceeds r (zero-weight ids are never picked).
    let lo = 0;
    let hi = w.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] > r) hi = mid;
      else lo = mid + 1;
    }
    out[s] = lo;
  }
  return out;
}

/**
 * w̃ over ids 0..N from log densities of items 1..N (logDensity[i − 1] is item i's):
 * w̃_i ∝ 1 / (exp(logDensity) + floor), normalised to sum 1; w̃_0 = 0. Computed as
 * log w̃_i = −logaddexp(log d, log floor) − logsumexp(·), so huge or tiny densities stay finite.
 */
export function inverseDensityWeights(logDensity: Float64Array, floor = DENSITY_FLOOR): Float64Array {
  const logFloor = Math.log(floor);
  const logInv = Float64Array.from(logDensity, (ld) => {
    const hi = Math.max(ld, logFloor);
    return -(hi + Math.log1p(Math.exp(Math.min(ld, logFloor) - hi)));
  });
  let top = -Infinity;
  for (const v of logInv) top = Math.max(top, v);
  let sum = 0;
  for (const v of logInv) sum += Math.exp(v - top);
  const w = new Float64Array(logDensity.length + 1);
  for (let i = 0; i < logInv.length; i++) w[i + 1] = Math.exp(logInv[i] - top) / sum;
  return w;
}

/** w ← m·w + (1 − m)·w̃, and the largest change of any weight. */
export function momentumUpdate(w: Float64Array, target: Float64Array, momentum: number): { weights: Float64Array; maxDelta: number } {
  if (w.length !== target.length) throw new Error(`IDW: ${w.length} weights but ${target.length} targets`);
  if (!(momentum >= 0 && momentum < 1)) throw new Error(`IDW: momentum must be in [0, 1), got ${momentum}`);
  const weights = new Float64Array(w.length);
  let maxDelta = 0;
  for (let i = 0; i < w.length; i++) {
    weights[i] = momentum * w[i] + (1 - momentum) * target[i];
    maxDelta = Math.max(maxDelta, Math.abs(weights[i] - w[i]));
  }
  return { weights, maxDelta };
}

/**
 * Per-example weight of an example whose target is i: w_i / count_i (0 for items that are never a
 * target), scaled to mean 1 over the training examples (Σ_i count_i · weight_i = Σ_i count_i).
 */
export function perExampleWeights(w: Float64Array, counts: ArrayLike<number>): Float32Array {
  const raw = new Float64Array(w.length);
  let weighted = 0;
  let examples = 0;
  for (let i = 1; i < w.length; i++) {
    if (counts[i] > 0) {
      raw[i] = w[i] / counts[i];
      weighted += raw[i] * counts[i];
      examples += counts[i];
    }
  }
  if (!(weighted > 0)) throw new Error("IDW: the training targets all have weight 0");
  const scale = examples / weighted;
  return Float32Array.from(raw, (v) => v * scale);
}

export interface Reweighting {
  /** The updated weights w (ids 0..N, sum 1). */
  weights: Float64Array;
  /** w̃ of this iteration. */
  target: Float64Array;
  maxDelta: number;
  /** log KDE density of items 1..N. */
  logDensity: Float64Array;
  /** Seconds spent embedding, sampling and in the KDE. */
  seconds: number;
}

/** Steps 1–4 of one IDW iteration from the current weights. */
export async function reweight(model: ItemEmbedder, w: Float64Array, settings: IdwSettings, rng: Rng): Promise<Reweighting> {
  const started = performance.now();
  const n = model.numItems;
  if (w.length !== n + 1) throw new Error(`IDW: need ${n + 1} weights, got ${w.length}`);
  const embedded = tf.tidy(() => model.itemVectors(tf.range(1, n + 1, 1, "int32") as tf.Tensor1D));
  const dim = embedded.shape[1];
  const items = (await embedded.data()) as Float32Array;
  embedded.dispose();

  const drawn = sampleByWeight(w, settings.sample, rng.fork("sample"));
  const noise = rng.fork("noise");
  const sample = new Float32Array(settings.sample * dim);
  for (let s = 0; s < settings.sample; s++) {
    const row = (drawn[s] - 1) * dim;
    for (let k = 0; k < dim; k++) sample[s * dim + k] = items[row + k] + settings.noise * noise.normal();
  }
  const options = { bandwidth: settings.bandwidth ?? "full" };
  const kde = fitKde(sample, settings.sample, dim, options);
  const logDensity = await kdeLogDensity(kde, sample, items, n, options);
  const target = inverseDensityWeights(logDensity);
  const { weights, maxDelta } = momentumUpdate(w, target, settings.momentum);
  return { weights, target, maxDelta, logDensity, seconds: (performance.now() - started) / 1000 };
}

/** One finished IDW iteration, for the log and the report. */
export interface IdwIteration {
  /** 1-based. */
  iteration: number;
  maxDelta: number;
  /** Seconds of the reweighting (embedding + KDE), training excluded. */
  kdeSeconds: number;
  /** Whether the model trained after this reweighting (false when it converged). */
  trained: boolean;
  weights: Float64Array;
}

export interface IdwHooks {
  /** Sets the per-example weights and trains the model further (≤ settings.epochs epochs);
   * `weights` is the item weight vector w they come from. */
  train(iteration: number, perExample: Float32Array, weights: Float64Array): Promise<void>;
  /** After each iteration (after its training, when it trained). */
  onIteration?(info: IdwIteration): void | Promise<void>;
}

export interface IdwModel extends ItemEmbedder {
  /** How often each id is a training target (length N + 1). */
  readonly targetCounts: Int32Array;
}

export interface IdwResult {
  weights: Float64Array;
  iterations: IdwIteration[];
  converged: boolean;
}

/**
 * Runs the IDW iterations from `start` (default: the initial weights; a resumed run passes the
 * weights and number of the last finished iteration). The caller trains the first phase before.
 */
export async function iterativeDensityWeighting(
  model: IdwModel,
  settings: IdwSettings,
  hooks: IdwHooks,
  seed: number,
  start?: { iteration: number; weights: Float64Array },
): Promise<IdwResult> {
  const root = new Rng(seed).fork("idw");
  return idwLoop((w, it) => reweight(model, w, settings, root.fork(`iteration/${it}`)), model.targetCounts, settings, hooks, start);
}

/** One reweighting from w, as the loop needs it: the new weights and how far they moved. */
export type ReweightStep = (w: Float64Array, iteration: number) => Promise<Pick<Reweighting, "weights" | "maxDelta" | "seconds">>;

/**
 * The loop of step 5 around any reweighting: after each, stop when max |Δw| < tolerance (without
 * training), else train on the new weights; at most `iterations` reweightings in all. Separate
 * from the KDE so the stop rule can be checked on weights computed by hand.
 */
export async function idwLoop(
  step: ReweightStep,
  targetCounts: Int32Array,
  settings: Pick<IdwSettings, "tolerance" | "iterations">,
  hooks: IdwHooks,
  start?: { iteration: number; weights: Float64Array },
): Promise<IdwResult> {
  let w = start?.weights ?? initialItemWeights(targetCounts);
  const iterations: IdwIteration[] = [];
  for (let it = (start?.iteration ?? 0) + 1; it <= settings.iterations; it++) {
    const next = await step(w, it);
    w = next.weights;
    const converged = next.maxDelta < settings.tolerance;
    if (!converged) await hooks.train(it, perExampleWeights(w, targetCounts), w);
    const info: IdwIteration = { iteration: it, maxDelta: next.maxDelta, kdeSeconds: next.seconds, trained: !converged, weights: w };
    iterations.push(info);
    await hooks.onIteration?.(info);
    if (converged) return { weights: w, iterations, converged: true };
  }
  return { weights: w, iterations, converged: false };
}
