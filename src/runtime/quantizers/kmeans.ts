// Seeded k-means on the host (TIGER initialises each RQ-VAE codebook by k-means on the first
// batch). Takes points [n × dim] row-major, k and an Rng; gives k centroids [k × dim]. k-means++
// seeding then Lloyd iterations; the same inputs and seed always give the same centroids. With
// fewer distinct points than k, the spare centroids repeat points (dead-code reset revives them).
import type { Rng } from "../random.js";

export interface KMeansOptions {
  /** Lloyd iterations (default 20; stops early when no assignment changes). */
  readonly iterations?: number;
}

export function kMeans(points: Float32Array, dim: number, k: number, rng: Rng, options: KMeansOptions = {}): Float32Array {
  const n = points.length / dim;
  if (!Number.isInteger(n) || n < 1) throw new Error(`kMeans: ${points.length} values is not a positive multiple of dim ${dim}`);
  const centroids = new Float32Array(k * dim);
  // k-means++: the first centre uniformly, each next one with probability ∝ D², the squared
  // distance to the nearest centre so far.
  const nearest = new Float64Array(n).fill(Infinity);
  let pick = rng.int(n);
  for (let c = 0; c < k; c++) {
    centroids.set(points.subarray(pick * dim, (pick + 1) * dim), c * dim);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const d = squaredDistance(points, i, centroids, c, dim);
      if (d < nearest[i]) nearest[i] = d;
      total += nearest[i];
    }
    pick = total > 0 ? rng.categorical(nearest, total) : rng.int(n);
  }
  const assignment = new Int32Array(n).fill(-1);
  const sums = new Float64Array(k * dim);
  const counts = new Int32Array(k);
  for (let iteration = 0; iteration < (options.iterations ?? 20); iteration++) {
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const c = nearestCode(points, i, centroids, k, dim);
      if (c !== assignment[i]) changed++;
      assignment[i] = c;
    }
    if (changed === 0) break;
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = assignment[i];
      counts[c]++;
      for (let j = 0; j < dim; j++) sums[c * dim + j] += points[i * dim + j];
    }
    // An empty cluster keeps its centre.
    for (let c = 0; c < k; c++) if (counts[c] > 0) for (let j = 0; j < dim; j++) centroids[c * dim + j] = sums[c * dim + j] / counts[c];
  }
  return centroids;
}

/** ||a_i − b_c||². */
export function squaredDistance(a: Float32Array, i: number, b: Float32Array, c: number, dim: number): number {
  let s = 0;
  for (let j = 0; j < dim; j++) {
    const d = a[i * dim + j] - b[c * dim + j];
    s += d * d;
  }
  return s;
}

/** argmin_c ||a_i − b_c||² over k rows of b; ties go to the lowest index. */
export function nearestCode(a: Float32Array, i: number, b: Float32Array, k: number, dim: number): number {
  let best = 0;
  let bestD = Infinity;
  for (let c = 0; c < k; c++) {
    const d = squaredDistance(a, i, b, c, dim);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}
