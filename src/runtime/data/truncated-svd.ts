// Truncated SVD of a sparse matrix by seeded randomized subspace iteration (Halko, Martinsson and
// Tropp 2011, with Rayleigh–Ritz). Takes a CSR matrix A (m × n), a rank k and a seed; gives the top
// k singular values, right vectors V (n × k), left vectors U (m × k) and the projections A·V = U·Σ
// (m × k), all row-major. Iteration runs on the Gram matrix of the smaller side (BᵀB with B = A or
// Aᵀ), applied through two sparse products, so only a min(m, n) × l block is ever
// orthonormalised: for 12k items × 637 attributes that is a few hundred thousand numbers.

import { Rng } from "../random.js";
import { csrTimesDense, csrTransposeTimesDense, transposeCsr, type CsrMatrix } from "./csr-matrix.js";
import { symmetricEigen } from "./symmetric-eigen.js";

export interface SvdOptions {
  readonly seed: number;
  /** Extra directions searched beyond k (default 10). */
  readonly oversample?: number;
  /** Subspace (power) iterations (default 5); more sharpens small gaps. */
  readonly iterations?: number;
}

export interface TruncatedSvd {
  readonly k: number;
  /** Descending, length k; 0 beyond the rank of A. */
  readonly singularValues: Float64Array;
  /** Row-major m × k, orthonormal columns (zero columns beyond the rank). */
  readonly u: Float64Array;
  /** Row-major n × k, orthonormal columns (zero columns beyond the rank). */
  readonly v: Float64Array;
  /** Row-major m × k: A·V = U·Σ, the rows of A in the k-dimensional basis. */
  readonly projections: Float64Array;
}

export function truncatedSvd(a: CsrMatrix, k: number, options: SvdOptions): TruncatedSvd {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`rank must be a positive integer, got ${k}`);
  const rng = new Rng(options.seed).fork("truncated-svd");
  // Iterate on the side with fewer columns: B = A when n ≤ m, else B = Aᵀ.
  const transposed = a.cols > a.rows;
  const b = transposed ? transposeCsr(a) : a;
  const c = b.cols;
  const r = b.rows;
  const l = Math.min(k + (options.oversample ?? 10), c);
  const iterations = options.iterations ?? 5;

  let q: Float64Array = new Float64Array(c * l);
  for (let i = 0; i < q.length; i++) q[i] = rng.normal();
  orthonormalize(q, c, l, rng);
  for (let it = 0; it < iterations; it++) {
    q = csrTransposeTimesDense(b, csrTimesDense(b, q, l), l);
    orthonormalize(q, c, l, rng);
  }
  // Rayleigh–Ritz: T = Qᵀ·(BᵀB·Q) (l × l); its eigenpairs give σ² and the rotation of Q.
  const gq = csrTransposeTimesDense(b, csrTimesDense(b, q, l), l);
  const t = new Float64Array(l * l);
  for (let i = 0; i < l; i++) {
    for (let j = i; j < l; j++) {
      let s = 0;
      const oi = i * c;
      const oj = j * c;
      for (let x = 0; x < c; x++) s += q[oi + x] * gq[oj + x];
      t[i * l + j] = s;
      t[j * l + i] = s;
    }
  }
  const eig = symmetricEigen(t, l);

  // Small-side vectors W = Q·E (c × k), then large-side Z = B·W / σ (r × k); column-major here.
  const kept = Math.min(k, l);
  const sigma = new Float64Array(k);
  const wc = new Float64Array(c * k);
  const tiny = 1e-10 * Math.sqrt(Math.max(eig.values[0] ?? 0, 0));
  let rank = 0;
  for (let j = 0; j < kept; j++) {
    const s = Math.sqrt(Math.max(eig.values[j], 0));
    if (s <= tiny || s === 0) break;
    sigma[j] = s;
    rank++;
    const col = wc.subarray(j * c, (j + 1) * c);
    for (let h = 0; h < l; h++) {
      const e = eig.vectors[h * l + j];
      const oh = h * c;
      for (let x = 0; x < c; x++) col[x] += q[oh + x] * e;
    }
    // Deterministic sign: the largest entry of each small-side vector is positive.
    let best = 0;
    for (let x = 0; x < c; x++) if (Math.abs(col[x]) > Math.abs(best)) best = col[x];
    if (best < 0) for (let x = 0; x < c; x++) col[x] = -col[x];
  }
  const zc = csrTimesDense(b, wc, k);
  const w = new Float64Array(c * k);
  const z = new Float64Array(r * k);
  for (let j = 0; j < rank; j++) {
    for (let x = 0; x < c; x++) w[x * k + j] = wc[j * c + x];
    for (let x = 0; x < r; x++) z[x * k + j] = zc[j * r + x] / sigma[j];
  }
  const u = transposed ? w : z;
  const v = transposed ? z : w;
  const projections = new Float64Array(u.length);
  for (let x = 0; x < u.length; x++) projections[x] = u[x] * sigma[x % k];
  return { k, singularValues: sigma, u, v, projections };
}

/**
 * Modified Gram–Schmidt, with a second pass when the first cancelled most of a column (one pass
 * loses orthogonality when columns are nearly dependent, as power iteration makes them).
 * A column that vanishes (the matrix has lower rank than l) is replaced by a fresh random one, so
 * the basis stays orthonormal and spans something; its Ritz value is then ≈ 0.
 */
function orthonormalize(q: Float64Array, rows: number, cols: number, rng: Rng): void {
  for (let j = 0; j < cols; j++) {
    const oj = j * rows;
    for (let attempt = 0; ; attempt++) {
      let before = 0;
      for (let x = 0; x < rows; x++) before += q[oj + x] * q[oj + x];
      let norm = before;
      for (let pass = 0; pass < 2; pass++) {
        const start = norm;
        for (let i = 0; i < j; i++) {
          const oi = i * rows;
          let dot = 0;
          for (let x = 0; x < rows; x++) dot += q[oi + x] * q[oj + x];
          for (let x = 0; x < rows; x++) q[oj + x] -= dot * q[oi + x];
        }
        norm = 0;
        for (let x = 0; x < rows; x++) norm += q[oj + x] * q[oj + x];
        // Kahan's "twice is enough": repeat only when cancellation removed over half the length.
        if (norm > 0.25 * start) break;
      }
      if (norm > 1e-20 * Math.max(before, 1e-300) && norm > 0) {
        const inv = 1 / Math.sqrt(norm);
        for (let x = 0; x < rows; x++) q[oj + x] *= inv;
        break;
      }
      if (attempt > 8) throw new Error("truncatedSvd: could not complete an orthonormal basis");
      for (let x = 0; x < rows; x++) q[oj + x] = rng.normal();
    }
  }
}
