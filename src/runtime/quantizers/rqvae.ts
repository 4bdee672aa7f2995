// Training of an RQ-VAE (TIGER, Rajput et al. 2023, §3.1) and the codes it gives. Takes a network
// (the generated program's RQ-VAE class: its encoder, codebooks and loss), the items' vectors and
// explicit training settings; gives the per-epoch losses, the input standardisation and, from
// rqVaeCodes, every item's base codes. What reimplementations found necessary against codebook
// collapse are settings here: standardised inputs (per-dimension mean/std over the catalogue),
// k-means initialisation of every level on the first batch (seeded), and dead-code reset (a code
// no item used during an epoch is re-seeded from a random residual of that level).
import * as tf from "@tensorflow/tfjs-core";
import type { ParamStore } from "../layers/params.js";
import { optimizerConfig, scheduleConfig } from "../pipeline/train-model.js";
import type { OptimizerOption, ScheduleOption } from "../../ir/index.js";
import { Rng } from "../random.js";
import { accumulateGradients } from "../train/grad-accumulation.js";
import { createOptimizer } from "../train/optimizers.js";
import { createSchedule } from "../train/schedules.js";
import type { ItemFeatures } from "../features/item-features.js";
import { kMeans } from "./kmeans.js";
import { residualQuantizeHost } from "./residual-quantize.js";

/** The loss of a batch, its three terms (for the log) and the code of each level per example. */
export interface RqVaeLoss {
  readonly loss: tf.Scalar;
  readonly reconstruction: tf.Scalar;
  readonly codebook: tf.Scalar;
  readonly commitment: tf.Scalar;
  /** Per level, the codes [B]; kept outside any tidy, the caller disposes them. */
  readonly codes: tf.Tensor1D[];
}

/** What training needs of an RQ-VAE; the generated program's class spells each part out. */
export interface RqVaeNetwork {
  /** Names the log lines and the training's random stream. */
  readonly name: string;
  readonly params: ParamStore;
  readonly inDim: number;
  readonly latent: number;
  /** Codes per level. */
  readonly codebook: number;
  /** Latents z [B, latent] of standardised inputs x [B, inDim]. */
  encode(x: tf.Tensor2D): tf.Tensor2D;
  /** The codebook of each level, [codebook, latent] variables. */
  codebooks(): tf.Tensor2D[];
  /** Loss of standardised inputs x [B, inDim]. */
  loss(x: tf.Tensor2D): RqVaeLoss;
}

export interface RqVaeTraining {
  readonly optimizer: OptimizerOption;
  readonly schedule: ScheduleOption;
  /** Passes over the catalogue; null when `steps` is set (both null: 10 epochs). */
  readonly epochs: number | null;
  readonly steps: number | null;
  readonly batch: number;
  /** Seeds the shuffling, the k-means initialisation and the dead-code resets. */
  readonly seed: number;
  /** Standardise every input dimension over the catalogue first. */
  readonly standardize: boolean;
  /** Initialise every level's codebook by k-means on the first batch (else keep the random initialisation). */
  readonly kmeansInit: boolean;
  /** Re-seed codes no example used during an epoch. */
  readonly deadCodeReset: boolean;
}

export interface RqVaeEpoch {
  epoch: number;
  loss: number;
  reconstruction: number;
  codebook: number;
  commitment: number;
  /** Per level: share of codes used by some example during the epoch (before reset). */
  usage: number[];
  /** Codes re-seeded after the epoch. */
  reset: number;
}

export interface RqVaeTrainOptions {
  log?: (line: string) => void;
  /** Called after every epoch (for tests and logs). */
  onEpoch?: (e: RqVaeEpoch) => void;
}

/** Per input dimension: x ↦ (x − mean) / std. */
export interface Standardization {
  readonly mean: Float32Array;
  readonly std: Float32Array;
}

/** The catalogue's per-dimension mean and std; the identity when `standardize` is off. */
export function standardization(features: ItemFeatures, standardize: boolean): Standardization {
  const { dim, numItems, vectors } = features;
  const mean = new Float32Array(dim);
  const std = new Float32Array(dim).fill(1);
  if (!standardize || numItems === 0) return { mean, std };
  const sum = new Float64Array(dim);
  const sq = new Float64Array(dim);
  for (let i = 1; i <= numItems; i++) {
    for (let j = 0; j < dim; j++) {
      const v = vectors[i * dim + j];
      sum[j] += v;
      sq[j] += v * v;
    }
  }
  for (let j = 0; j < dim; j++) {
    const m = sum[j] / numItems;
    mean[j] = m;
    const variance = Math.max(0, sq[j] / numItems - m * m);
    // A constant dimension stays as it is rather than blowing up.
    std[j] = variance > 1e-12 ? Math.sqrt(variance) : 1;
  }
  return { mean, std };
}

/** Standardised input rows of the given items [n, dim]. */
export function standardizedRows(features: ItemFeatures, items: ArrayLike<number>, s: Standardization): Float32Array {
  const dim = features.dim;
  const out = new Float32Array(items.length * dim);
  for (let r = 0; r < items.length; r++) {
    const i = items[r];
    for (let j = 0; j < dim; j++) out[r * dim + j] = (features.vectors[i * dim + j] - s.mean[j]) / s.std[j];
  }
  return out;
}

/** Latents of n standardised rows, on the host (an awaited read: GPU backends have no other). */
async function latents(network: RqVaeNetwork, x: Float32Array, n: number): Promise<Float32Array> {
  const z = tf.tidy(() => network.encode(tf.tensor2d(x, [n, network.inDim])));
  try {
    return (await z.data()) as Float32Array;
  } finally {
    z.dispose();
  }
}

function assign(book: tf.Tensor2D, values: Float32Array, rows: number, latent: number): void {
  tf.tidy(() => (book as unknown as tf.Variable).assign(tf.tensor2d(values, [rows, latent])));
}

/** k-means on the first batch, level by level over the residuals (TIGER's initialisation). */
async function initialiseCodebooks(network: RqVaeNetwork, x: Float32Array, n: number, rng: Rng): Promise<void> {
  const { codebook, latent } = network;
  let residual = await latents(network, x, n);
  const books = network.codebooks();
  for (let l = 0; l < books.length; l++) {
    const centroids = kMeans(residual, latent, codebook, rng.fork(`kmeans/${l}`));
    assign(books[l], centroids, codebook, latent);
    residual = residualQuantizeHost(residual, latent, [centroids], codebook).residuals[1];
  }
}

/** Re-seeds unused codes of each level from random residuals of that level on a batch. */
async function resetDeadCodes(network: RqVaeNetwork, used: Uint8Array[], x: Float32Array, rows: number, rng: Rng): Promise<number> {
  const { codebook, latent } = network;
  const books = network.codebooks();
  const hostBooks = (await Promise.all(books.map((b) => b.data()))) as Float32Array[];
  let residual = await latents(network, x, rows);
  let reset = 0;
  for (let l = 0; l < books.length; l++) {
    const values = Float32Array.from(hostBooks[l]);
    let changed = false;
    for (let k = 0; k < codebook; k++) {
      if (used[l][k]) continue;
      const r = rng.int(rows);
      values.set(residual.subarray(r * latent, (r + 1) * latent), k * latent);
      changed = true;
      reset++;
    }
    if (changed) {
      assign(books[l], values, codebook, latent);
      hostBooks[l] = values;
    }
    residual = residualQuantizeHost(residual, latent, [hostBooks[l]], codebook).residuals[1];
  }
  return reset;
}

/** Trains the network on the items' vectors; gives the standardisation its codes are read with. */
export async function trainRqVae(
  network: RqVaeNetwork,
  features: ItemFeatures,
  settings: RqVaeTraining,
  options: RqVaeTrainOptions = {},
): Promise<{ standardization: Standardization; history: RqVaeEpoch[] }> {
  const { name, codebook } = network;
  const levels = network.codebooks().length;
  const n = features.numItems;
  if (features.dim !== network.inDim) throw new Error(`${name}: features have dim ${features.dim}, the model ${network.inDim}`);
  if (n === 0) throw new Error(`${name}: no items to quantize`);
  options.log?.(`training ${name} (rq-vae, ${network.params.count().toLocaleString("en-US")} parameters)`);
  const s = standardization(features, settings.standardize);
  const rng = new Rng(settings.seed).fork(`rqvae/${name}`);
  const batch = Math.min(settings.batch, n);
  const perEpoch = Math.ceil(n / batch);
  const epochs = settings.epochs ?? (settings.steps !== null ? Math.ceil(settings.steps / perEpoch) : 10);
  const totalSteps = settings.steps ?? epochs * perEpoch;
  const optimizer = createOptimizer(optimizerConfig(settings.optimizer));
  const schedule = createSchedule(scheduleConfig(settings.schedule, settings.optimizer.lr, totalSteps));
  const vars = network.params.variables();
  const history: RqVaeEpoch[] = [];
  let initialised = !settings.kmeansInit;
  let step = 0;
  const order = Int32Array.from({ length: n }, (_, i) => i + 1);
  try {
    for (let epoch = 0; epoch < epochs && step < totalSteps; epoch++) {
      rng.fork(`epoch/${epoch}`).shuffle(order);
      const used = Array.from({ length: levels }, () => new Uint8Array(codebook));
      const sums = [0, 0, 0, 0];
      let batches = 0;
      let lastX: Float32Array | null = null;
      let lastRows = 0;
      for (let first = 0; first < n && step < totalSteps; first += batch) {
        const items = order.subarray(first, Math.min(n, first + batch));
        const x = standardizedRows(features, items, s);
        if (!initialised) await initialiseCodebooks(network, x, items.length, rng);
        initialised = true;
        const xt = tf.tensor2d(x, [items.length, network.inDim]);
        // Kept past the gradient's tidy and read after it, awaited, with the loss.
        let kept: tf.Tensor[] = [];
        const { grads, loss } = await accumulateGradients(vars, [{ batch: xt, weight: 1 }], (b) => {
          const out = network.loss(b);
          kept = [out.reconstruction, out.codebook, out.commitment, ...out.codes].map((t) => tf.keep(t));
          return out.loss;
        });
        const read = await Promise.all(kept.map((t) => t.data()));
        tf.dispose(kept);
        const parts = read.slice(0, 3).map((v) => v[0]);
        const codes = read.slice(3) as Int32Array[];
        optimizer.step(grads, vars, schedule(step));
        for (const g of grads.values()) g.dispose();
        xt.dispose();
        step++;
        batches++;
        sums[0] += loss;
        for (let p = 0; p < 3; p++) sums[p + 1] += parts[p];
        codes.forEach((c, l) => c.forEach((k) => (used[l][k] = 1)));
        lastX = x;
        lastRows = items.length;
      }
      const usage = used.map((u) => u.reduce((a, b) => a + b, 0) / codebook);
      let reset = 0;
      if (settings.deadCodeReset && lastX !== null) reset = await resetDeadCodes(network, used, lastX, lastRows, rng.fork(`reset/${epoch}`));
      const record: RqVaeEpoch = {
        epoch,
        loss: sums[0] / batches,
        reconstruction: sums[1] / batches,
        codebook: sums[2] / batches,
        commitment: sums[3] / batches,
        usage,
        reset,
      };
      history.push(record);
      options.onEpoch?.(record);
      if (options.log && (epoch === 0 || epoch === epochs - 1 || (epoch + 1) % Math.max(1, Math.floor(epochs / 10)) === 0)) {
        options.log(
          `${name} epoch ${epoch + 1}/${epochs}: loss ${record.loss.toFixed(4)} (recon ${record.reconstruction.toFixed(4)}, codebook ${record.codebook.toFixed(4)}, commit ${record.commitment.toFixed(4)}); ` +
            `usage ${usage.map((u) => `${(100 * u).toFixed(0)}%`).join("/")}${reset ? `; ${reset} dead codes reset` : ""}`,
        );
      }
    }
  } finally {
    optimizer.dispose();
  }
  return { standardization: s, history };
}

/** Base codes [(numItems + 1) × levels] of every item (row 0 −1): each latent's nearest codes, level by level. */
export async function rqVaeCodes(network: RqVaeNetwork, features: ItemFeatures, s: Standardization, chunk = 4096): Promise<Int32Array> {
  const { codebook, latent } = network;
  const books = (await Promise.all(network.codebooks().map((b) => b.data()))) as Float32Array[];
  const levels = books.length;
  const n = features.numItems;
  const out = new Int32Array((n + 1) * levels).fill(-1);
  for (let first = 1; first <= n; first += chunk) {
    const items = Int32Array.from({ length: Math.min(chunk, n + 1 - first) }, (_, i) => first + i);
    const z = await latents(network, standardizedRows(features, items, s), items.length);
    const { codes } = residualQuantizeHost(z, latent, books, codebook);
    out.set(codes, first * levels);
  }
  return out;
}
