// Gaussian kernel density estimate in embedding space (the density step of IDW, PAPERS.md §1).
// Takes a sample [n, D] (the points the KDE is fitted to) and query points [M, D]; gives the log
// density of each query point, in float64, with Scott's bandwidth factor n^(−1/(D+4)).
//
// Two bandwidth matrices (both Scott's rule):
//   "full"     — H = f²·Σ, Σ the sample covariance (unbiased), as scipy.stats.gaussian_kde does;
//                this is the default, since the paper's code most likely used scipy (?);
//   "diagonal" — H = f²·diag(σ_k²), a per-dimension bandwidth h_k = f·σ_k.
// Both whiten: with H = L·Lᵀ (Cholesky), z = L⁻¹x turns the kernel into exp(−‖z_q − z_s‖²/2), so
// p(q) = 1/(n·(2π)^(D/2)·det L) · Σ_s exp(−‖z_q − z_s‖²/2).
//
// Why log densities: in D = 64 the normaliser alone is (2π)^−32 / det L, which leaves the float32
// (and often the float64) range. The pairwise distances come from one matmul per chunk
// (‖a−b‖² = ‖a‖² + ‖b‖² − 2a·b) on the current backend, the log-sum-exp over the sample is taken
// in float32 after subtracting the row maximum (exact up to rounding), and the normaliser is
// added in float64.
import * as tf from "@tensorflow/tfjs-core";

export type Bandwidth = "full" | "diagonal";

export interface KdeOptions {
  /** Bandwidth matrix shape (default "full"). */
  bandwidth?: Bandwidth;
  /** Query rows per matmul (default: about 2^24 distances per chunk, e.g. 1,677 rows for n = 10,000). */
  chunkRows?: number;
}

/** A fitted KDE: the whitened sample and the log normaliser, ready to evaluate query points. */
export interface FittedKde {
  readonly n: number;
  readonly dim: number;
  /** Scott's factor n^(−1/(D+4)). */
  readonly factor: number;
  readonly bandwidth: Bandwidth;
  /** Row-major lower-triangular L⁻¹ [D, D] of the bandwidth matrix H = L·Lᵀ (float64). */
  readonly whitening: Float64Array;
  /** log of 1/(n·(2π)^(D/2)·det L). */
  readonly logNormaliser: number;
  /** The sample mean [D], subtracted from every point before whitening (distances do not change;
   * it keeps ‖z‖² small, so the float32 expansion of ‖a−b‖² does not lose digits to cancellation). */
  readonly mean: Float64Array;
}

/** Scott's rule factor for n points in D dimensions. */
export function scottFactor(n: number, dim: number): number {
  return Math.pow(n, -1 / (dim + 4));
}

/**
 * Fits the KDE to `sample` ([n, D] row-major, n ≥ 2). Throws when the bandwidth matrix is
 * singular (a dimension with no spread): IDW adds noise to the sample so this does not happen.
 */
export function fitKde(sample: Float32Array | Float64Array, n: number, dim: number, options: KdeOptions = {}): FittedKde {
  if (sample.length !== n * dim) throw new Error(`fitKde: sample has ${sample.length} values, expected ${n}×${dim}`);
  if (n < 2) throw new Error(`fitKde: need at least 2 sample points, got ${n}`);
  const bandwidth = options.bandwidth ?? "full";
  const factor = scottFactor(n, dim);
  const { mean, cov } = covariance(sample, n, dim);
  if (bandwidth === "diagonal") {
    for (let a = 0; a < dim; a++) for (let b = 0; b < dim; b++) if (a !== b) cov[a * dim + b] = 0;
  }
  for (let i = 0; i < cov.length; i++) cov[i] *= factor * factor;
  const l = cholesky(cov, dim);
  let logDet = 0;
  for (let k = 0; k < dim; k++) logDet += Math.log(l[k * dim + k]);
  const whitening = invertLower(l, dim);
  const logNormaliser = -Math.log(n) - (dim / 2) * Math.log(2 * Math.PI) - logDet;
  return { n, dim, factor, bandwidth, whitening, logNormaliser, mean };
}

/**
 * log p(q) for every query point ([M, D] row-major) under the KDE fitted to `sample`. The
 * sample must be the one `kde` was fitted to (only its whitening and normaliser are kept).
 */
export async function kdeLogDensity(
  kde: FittedKde,
  sample: Float32Array | Float64Array,
  points: Float32Array | Float64Array,
  m: number,
  options: KdeOptions = {},
): Promise<Float64Array> {
  const { n, dim } = kde;
  if (points.length !== m * dim) throw new Error(`kdeLogDensity: points have ${points.length} values, expected ${m}×${dim}`);
  const chunk = Math.max(1, options.chunkRows ?? Math.floor((1 << 24) / n));
  const out = new Float64Array(m);
  // Wᵀ so that whitened rows are x·Wᵀ (W = L⁻¹).
  const wt = tf.tensor2d(transpose(kde.whitening, dim), [dim, dim]);
  const zs = tf.tidy(() => tf.matMul(tf.tensor2d(centred(sample, 0, n, kde.mean), [n, dim]), wt));
  const zsNorm = tf.tidy(() => tf.reshape(tf.sum(tf.square(zs), 1), [1, n]));
  try {
    for (let first = 0; first < m; first += chunk) {
      const rows = Math.min(chunk, m - first);
      const lse = tf.tidy(() => {
        const q = tf.tensor2d(centred(points, first, rows, kde.mean), [rows, dim]);
        const zq = tf.matMul(q, wt);
        const zqNorm = tf.sum(tf.square(zq), 1, true);
        // −‖zq − zs‖²/2 = zq·zs − ‖zq‖²/2 − ‖zs‖²/2; clamp the rounding that makes it positive.
        const cross = tf.matMul(zq, zs, false, true);
        const logK = tf.minimum(tf.sub(cross, tf.mul(tf.add(zqNorm, zsNorm), 0.5)), 0);
        const top = tf.max(logK, 1, true);
        return tf.add(tf.reshape(top, [rows]), tf.log(tf.sum(tf.exp(tf.sub(logK, top)), 1)));
      });
      // Awaited: a GPU backend has no synchronous read.
      const values = await lse.data();
      lse.dispose();
      for (let i = 0; i < rows; i++) out[first + i] = values[i] + kde.logNormaliser;
    }
  } finally {
    tf.dispose([wt, zs, zsNorm]);
  }
  return out;
}

/** Convenience: fit to `sample` and evaluate `points` in one call. */
export async function gaussianKde(
  sample: Float32Array | Float64Array,
  n: number,
  points: Float32Array | Float64Array,
  m: number,
  dim: number,
  options: KdeOptions = {},
): Promise<{ logDensity: Float64Array; kde: FittedKde }> {
  const kde = fitKde(sample, n, dim, options);
  return { logDensity: await kdeLogDensity(kde, sample, points, m, options), kde };
}

/** Rows first..first+rows of x minus the mean, as float32. */
function centred(x: Float32Array | Float64Array, first: number, rows: number, mean: Float64Array): Float32Array {
  const dim = mean.length;
  const out = new Float32Array(rows * dim);
  for (let i = 0; i < rows; i++) for (let k = 0; k < dim; k++) out[i * dim + k] = x[(first + i) * dim + k] - mean[k];
  return out;
}

/** Mean [D] and unbiased sample covariance [D, D] (float64, row-major). */
function covariance(x: Float32Array | Float64Array, n: number, dim: number): { mean: Float64Array; cov: Float64Array } {
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let k = 0; k < dim; k++) mean[k] += x[i * dim + k];
  for (let k = 0; k < dim; k++) mean[k] /= n;
  const cov = new Float64Array(dim * dim);
  const row = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < dim; k++) row[k] = x[i * dim + k] - mean[k];
    for (let a = 0; a < dim; a++) {
      const ra = row[a];
      for (let b = 0; b <= a; b++) cov[a * dim + b] += ra * row[b];
    }
  }
  for (let a = 0; a < dim; a++) {
    for (let b = 0; b <= a; b++) {
      const v = cov[a * dim + b] / (n - 1);
      cov[a * dim + b] = v;
      cov[b * dim + a] = v;
    }
  }
  return { mean, cov };
}

/** Lower-triangular L with L·Lᵀ = a (a symmetric positive definite). */
function cholesky(a: Float64Array, dim: number): Float64Array {
  const l = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * dim + j];
      for (let k = 0; k < j; k++) s -= l[i * dim + k] * l[j * dim + k];
      if (i === j) {
        if (!(s > 0)) throw new Error(`KDE: the bandwidth matrix is singular (dimension ${i} has no spread in the sample)`);
        l[i * dim + i] = Math.sqrt(s);
      } else {
        l[i * dim + j] = s / l[j * dim + j];
      }
    }
  }
  return l;
}

/** L⁻¹ of a lower-triangular L, by forward substitution column by column. */
function invertLower(l: Float64Array, dim: number): Float64Array {
  const inv = new Float64Array(dim * dim);
  for (let c = 0; c < dim; c++) {
    inv[c * dim + c] = 1 / l[c * dim + c];
    for (let i = c + 1; i < dim; i++) {
      let s = 0;
      for (let k = c; k < i; k++) s += l[i * dim + k] * inv[k * dim + c];
      inv[i * dim + c] = -s / l[i * dim + i];
    }
  }
  return inv;
}

function transpose(a: Float64Array, dim: number): Float32Array {
  const t = new Float32Array(dim * dim);
  for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) t[j * dim + i] = a[i * dim + j];
  return t;
}
