// The seeded draws of the IDW iterations (weighting/idw.ts), for handing to another target. Takes
// the block's seed, the number of iterations, the `sample` size and the item-vector width; gives,
// per iteration, the uniforms the weighted selection reads (rng.next() of the `sample` fork, one
// per drawn item) and the standard normals added, times `noise`, to the drawn embeddings (normal()
// of the `noise` fork, row by row). They are the streams iterativeDensityWeighting forks: root
// Rng(seed) → "idw" → `iteration/<k>` → "sample" | "noise". Everything that depends on the trained
// model (which items those uniforms pick, the KDE, the weights) is left to the other side.
import { Rng } from "../random.js";

export interface IdwDraws {
  /** float64 [iterations, sample]: the uniforms of the inverse-CDF selection. */
  readonly uniforms: Float64Array;
  /** float64 [iterations, sample, dim]: the standard normals (the noise before scaling by σ). */
  readonly normals: Float64Array;
}

/** The random streams of IDW iteration k (1-based), as iterativeDensityWeighting derives them. */
export function idwIterationRng(seed: number, iteration: number): Rng {
  return new Rng(seed).fork("idw").fork(`iteration/${iteration}`);
}

export function idwDraws(seed: number, iterations: number, sample: number, dim: number): IdwDraws {
  const uniforms = new Float64Array(iterations * sample);
  const normals = new Float64Array(iterations * sample * dim);
  for (let it = 1; it <= iterations; it++) {
    const rng = idwIterationRng(seed, it);
    const pick = rng.fork("sample");
    for (let s = 0; s < sample; s++) uniforms[(it - 1) * sample + s] = pick.next();
    const noise = rng.fork("noise");
    const base = (it - 1) * sample * dim;
    for (let k = 0; k < sample * dim; k++) normals[base + k] = noise.normal();
  }
  return { uniforms, normals };
}
