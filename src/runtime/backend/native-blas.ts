// Loads the optional OpenBLAS addon (native/, built by scripts/build-native.mjs). Takes an optional
// path to the .node file; gives the addon's functions, or a one-line reason why it is unavailable.
// Loading never throws: without the addon the wasm kernels serve matmul, only slower.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { configureOpenBlasEnv } from "./openblas-env.js";

/** The addon's interface (native/src/recspec_blas.c). Arrays alias wasm heap memory: no copies. */
export interface NativeBlas {
  /** c[i] = op(A at a[aOffsets[i]]) · op(B at b[bOffsets[i]]) for every batch entry i. */
  gemmBatch(
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    aOffsets: Int32Array,
    bOffsets: Int32Array,
    m: number,
    n: number,
    k: number,
    transposeA: boolean,
    transposeB: boolean,
  ): void;
  /** In place on c viewed as [rows, n]: add bias (n entries or one), then 0 = linear, 1 = relu. */
  biasActivation(c: Float32Array, bias: Float32Array | null, n: number, activation: 0 | 1): void;
  /** out[i] = e^x[i] (vectorised, about 1 ulp; exact 0 below -87.3); out may be x. */
  exp(x: Float32Array, out: Float32Array): void;
  /** out[o, j] = Σ_m x[o, m, j] for x [outer, mid, inner] (native/src/column_sums.c; double
   * accumulation); outer = 1 sums over leading axes. */
  blockSums(x: Float32Array, out: Float32Array, outer: number, mid: number, inner: number): void;
  /** best[i, j] = max_k x[i, k, j] for x [b, h, n] (native/src/max_over_heads.c). */
  maxOverHeads(x: Float32Array, best: Float32Array, b: number, h: number, n: number): void;
  /** grad[i, k, j] = dy[i, j] where x[i, k, j] equals best[i, j], else 0. */
  maxOverHeadsGrad(x: Float32Array, best: Float32Array, dy: Float32Array, grad: Float32Array, b: number, h: number, n: number): void;
  /** One Adam update: m1, v1, w1 from w, g, m, v (native/src/adam.c; see native-adam-kernel.ts). */
  adamUpdate(
    w: Float32Array,
    g: Float32Array,
    m: Float32Array,
    v: Float32Array,
    w1: Float32Array,
    m1: Float32Array,
    v1: Float32Array,
    lr: number,
    beta1: number,
    beta2: number,
    c1: number,
    c2: number,
    eps: number,
    wd: number,
  ): void;
  /** out[i, :] = table[ids[i], :] for rows of `width`; throws on an id outside the table (rows.c). */
  gatherRows(table: Float32Array, ids: Int32Array, out: Float32Array, width: number): void;
  /** out = 0, then out[ids[i], :] += x[i, :]; ids outside out's rows are skipped (rows.c). */
  segmentSumRows(x: Float32Array, ids: Int32Array, out: Float32Array, width: number): void;
  /** out = 0, then out[ids[u], :] += x[from[u], :]: segmentSumRows of gatherRows(x, from), one pass (rows.c). */
  gatherSegmentSumRows(x: Float32Array, from: Int32Array, ids: Int32Array, out: Float32Array, width: number): void;
  /** Fills out with the dropout mask src/runtime/layers/dropout.ts draws from an Rng at `state`
   * (native/src/dropout.c); the caller advances the Rng past ceil(n/2) draws. */
  dropoutMask(out: Float32Array, state: number, threshold: number, scale: number): void;
  /** lse[i] = log Σ_j e^z[i, j] for z [n, c] (native/src/softmax_xent.c). */
  logSumExpRows(z: Float32Array, lse: Float32Array, n: number, c: number): void;
  /** g = dy[i]·(softmax(z)[i, j] − ε/c) − dy[i]·(1−ε)·[j = t[i]] for z, g [n, c]. */
  softmaxXentGrad(z: Float32Array, lse: Float32Array, t: Int32Array, dy: Float32Array, g: Float32Array, n: number, c: number, eps: number): void;
  /** Sampled softmax over rows [pos + posOff, scores + negOff] (a hit, a sorted flat index into
   * scores, takes a masked logit instead of negOff): lse and loss = lse − z[i, 0] per row [p]
   * (native/src/candidate_xent.c). */
  candidateXent(
    pos: Float32Array,
    scores: Float32Array,
    posOff: Float32Array,
    negOff: Float32Array,
    hits: Int32Array,
    lse: Float32Array,
    loss: Float32Array,
    p: number,
    k: number,
  ): void;
  /** Its gradient: dpos [p] and dscores [p, k] from lse and dy [p]. */
  candidateXentGrad(
    pos: Float32Array,
    scores: Float32Array,
    posOff: Float32Array,
    negOff: Float32Array,
    hits: Int32Array,
    lse: Float32Array,
    dy: Float32Array,
    dpos: Float32Array,
    dscores: Float32Array,
    p: number,
    k: number,
  ): void;
  /** out[i] = Σ_j softplus(z[i, j]) over z [p, k], leaving out the sorted flat indices `hits`
   * (native/src/softplus_rows.c). */
  softplusRows(z: Float32Array, hits: Int32Array, out: Float32Array, p: number, k: number): void;
  /** dz[i, j] = dy[i]·σ(z[i, j]), 0 at the hits. */
  softplusRowsGrad(z: Float32Array, hits: Int32Array, dy: Float32Array, dz: Float32Array, p: number, k: number): void;
  /** y = x·Φ(x), exact GELU (native/src/gelu.c). */
  gelu(x: Float32Array, y: Float32Array): void;
  /** dx = dy·(Φ(x) + x·φ(x)). */
  geluGrad(x: Float32Array, dy: Float32Array, dx: Float32Array): void;
  /** out[b] = mean of h[b, t] over the t with ids[b, t] ≠ 0 (zeros for none); h [count, T, dim]
   * (native/src/mean_pool.c). */
  meanPool(h: Float32Array, ids: Int32Array, out: Float32Array, count: number, dim: number): void;
  /** dh[b, t] = ids[b, t] ≠ 0 ? dy[b] / max(n_b, 1) : 0. */
  meanPoolGrad(dy: Float32Array, ids: Int32Array, dh: Float32Array, count: number, dim: number): void;
  /** out = S_0 + S_1 + … (in order), S_p the gathered segment sum of the pairs u in part p
   * (ends[p − 1] ≤ u < ends[p]), each as gatherSegmentSumRows would give it (native/src/segment_sum_parts.c). */
  gatherSegmentSumParts(x: Float32Array, from: Int32Array, ids: Int32Array, out: Float32Array, width: number, ends: Int32Array): void;
  /** x[p] = [u[p], v[p], u[p]·v[p]] for u, v [P, dim] (native/src/pair_features.c). */
  pairFeatures(u: Float32Array, v: Float32Array, x: Float32Array, dim: number): void;
  /** du = dx_u + dx_uv·v, dv = dx_v + dx_uv·u. */
  pairFeaturesGrad(u: Float32Array, v: Float32Array, dx: Float32Array, du: Float32Array, dv: Float32Array, dim: number): void;
  /** dx = y > 0 ? dy : 0, the ReLU's gradient from its output (native/src/relu_grad.c). */
  reluGrad(y: Float32Array, dy: Float32Array, dx: Float32Array): void;
  /** y = (x − mean)·rstd·gamma + beta per row of x [rows, dim], saving mean and rstd [rows]. */
  layerNorm(
    x: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    y: Float32Array,
    mean: Float32Array,
    rstd: Float32Array,
    rows: number,
    dim: number,
    eps: number,
  ): void;
  /** dx [rows, dim], dgamma and dbeta [dim] of layerNorm from dy (native/src/layer_norm.c). */
  layerNormGrad(
    x: Float32Array,
    gamma: Float32Array,
    mean: Float32Array,
    rstd: Float32Array,
    dy: Float32Array,
    dx: Float32Array,
    dgamma: Float32Array,
    dbeta: Float32Array,
    rows: number,
    dim: number,
  ): void;
  info(): { corename: string; threads: number; config: string };
  setThreads(threads: number): void;
}

/** Where the build script puts the addon, relative to this file (src/runtime/backend/). */
export const DEFAULT_ADDON_PATH = fileURLToPath(new URL("../../../native/build/Release/recspec_blas.node", import.meta.url));

const loaded = new Map<string, NativeBlas | string>();

/** Every function of the interface, so an addon built from older sources is refused, not half used. */
const ADDON_FUNCTIONS: (keyof NativeBlas)[] = [
  "gemmBatch",
  "biasActivation",
  "exp",
  "blockSums",
  "maxOverHeads",
  "maxOverHeadsGrad",
  "adamUpdate",
  "gatherRows",
  "segmentSumRows",
  "gatherSegmentSumRows",
  "dropoutMask",
  "logSumExpRows",
  "softmaxXentGrad",
  "layerNorm",
  "layerNormGrad",
  "candidateXent",
  "candidateXentGrad",
  "softplusRows",
  "softplusRowsGrad",
  "gelu",
  "geluGrad",
  "meanPool",
  "meanPoolGrad",
  "reluGrad",
  "gatherSegmentSumParts",
  "pairFeatures",
  "pairFeaturesGrad",
  "info",
  "setThreads",
];

/** The addon, or a reason string. Cached per path. */
export function loadNativeBlas(addonPath: string = DEFAULT_ADDON_PATH): NativeBlas | string {
  const cached = loaded.get(addonPath);
  if (cached !== undefined) return cached;
  let result: NativeBlas | string;
  if (!existsSync(addonPath)) {
    result = `native addon not built (${addonPath} missing; run \`node scripts/build-native.mjs\`)`;
  } else {
    // OpenBLAS reads these once, when the addon pulls libopenblas in.
    configureOpenBlasEnv();
    try {
      const addon = createRequire(import.meta.url)(addonPath) as NativeBlas;
      addon.info(); // a broken library shows up here rather than in the first matmul
      const missing = ADDON_FUNCTIONS.filter((name) => typeof addon[name] !== "function");
      result = missing.length === 0 ? addon : `native addon is out of date (no ${missing.join(", ")}; run \`node scripts/build-native.mjs\`)`;
    } catch (error) {
      result = `native addon failed to load: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`;
    }
  }
  loaded.set(addonPath, result);
  return result;
}

/** How matmul runs through the addon, e.g. "native OpenBLAS (SKYLAKEX, 2 threads)". */
export function describeNativeBlas(blas: NativeBlas): string {
  const { corename, threads } = blas.info();
  return `native OpenBLAS (${corename.toUpperCase()}, ${threads} thread${threads === 1 ? "" : "s"})`;
}
