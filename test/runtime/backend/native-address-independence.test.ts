// The native addon's elementwise kernels give the same bits wherever their arrays lie: an output far
// from the inputs, right behind one of them (a few bytes after its end, as tfjs's allocator may place
// it on the wasm heap) or, where the kernel allows it, the input itself. An addon built with gcc's
// default -ffp-contract=fast failed the layer-norm case: where the output row lay within a vector's
// reach of gamma, gcc ran its scalar fallback loop, which fused (x−mean)·rstd·gamma + beta into an
// FMA the vector loop did not, so a training resumed in a process that had trained before (another
// heap layout) ended 1 ulp away in a few weights (native/binding.gyp now has -ffp-contract=off).
// Runs only when the addon is built; otherwise the suite is skipped and says why.
import { describe, expect, it } from "vitest";
import { loadNativeBlas, type NativeBlas } from "../../../src/runtime/backend/native-blas.js";

const loaded = loadNativeBlas();
const skipReason = typeof loaded === "string" ? loaded : undefined;
if (skipReason !== undefined) console.warn(`native-address-independence.test.ts: SKIPPED, ${skipReason}`);
const blas = loaded as NativeBlas;

/** Seeded values in [-scale, scale) (a 32-bit LCG: the test needs variety, not quality). */
function values(n: number, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * 2 * scale;
  });
}

/** A Float32Array of `length` at byte `offset` of `heap`, filled with `from` when given. */
function at(heap: ArrayBuffer, offset: number, length: number, from?: Float32Array): Float32Array {
  const view = new Float32Array(heap, offset, length);
  if (from !== undefined) view.set(from);
  return view;
}

const bits = (a: Float32Array): number[] => Array.from(new Uint32Array(a.slice().buffer));

describe.skipIf(skipReason !== undefined)(`native kernels do not depend on where their arrays lie${skipReason ? ` (SKIPPED: ${skipReason})` : ""}`, () => {
  const rows = 64;
  const dim = 8; // the transformer width of the model that showed it
  const X = values(rows * dim, 1, 0.3);
  const GAMMA = values(dim, 2, 1.5);
  const BETA = values(dim, 3, 0.5);

  /** layerNorm of X with y starting `gap` bytes after gamma's end (null: y far from everything). */
  function layerNormWithY(gap: number | null): number[] {
    const heap = new ArrayBuffer(1 << 16);
    const x = at(heap, 0, rows * dim, X);
    const beta = at(heap, 4096, dim, BETA);
    const gamma = at(heap, 8192, dim, GAMMA);
    const y = at(heap, gap === null ? 32768 : 8192 + dim * 4 + gap, rows * dim);
    const mean = at(heap, 49152, rows);
    const rstd = at(heap, 53248, rows);
    blas.layerNorm(x, gamma, beta, y, mean, rstd, rows, dim, 1e-6);
    return bits(y);
  }

  it("layerNorm: y right behind gamma gives the bits of y far away", () => {
    const far = layerNormWithY(null);
    // 8 bytes behind gamma is the layout the failing resume had; the others cover a vector's reach.
    for (const gap of [0, 4, 8, 16, 24, 32, 48]) expect(layerNormWithY(gap), `y ${gap} bytes after gamma`).toEqual(far);
  });

  it("layerNormGrad: dx right behind gamma gives the bits of dx far away", () => {
    const DY = values(rows * dim, 4, 0.1);
    const run = (gap: number | null): number[][] => {
      const heap = new ArrayBuffer(1 << 16);
      const x = at(heap, 0, rows * dim, X);
      const gamma = at(heap, 8192, dim, GAMMA);
      const mean = at(heap, 12288, rows);
      const rstd = at(heap, 16384, rows);
      blas.layerNorm(x, gamma, at(heap, 20480, dim, BETA), at(heap, 24576, rows * dim), mean, rstd, rows, dim, 1e-6);
      const dy = at(heap, 28672, rows * dim, DY);
      const dx = at(heap, gap === null ? 40960 : 8192 + dim * 4 + gap, rows * dim);
      const dgamma = at(heap, 61440, dim);
      const dbeta = at(heap, 62464, dim);
      blas.layerNormGrad(x, gamma, mean, rstd, dy, dx, dgamma, dbeta, rows, dim);
      return [bits(dx), bits(dgamma), bits(dbeta)];
    };
    const far = run(null);
    for (const gap of [0, 8, 24, 48]) expect(run(gap), `dx ${gap} bytes after gamma`).toEqual(far);
  });

  it("adamUpdate: in place, right behind the inputs and far away give the same bits", () => {
    const n = 40;
    const W = values(n, 5),
      G = values(n, 6, 1e-2),
      M = values(n, 7, 1e-3);
    const V = values(n, 8, 1e-5).map(Math.abs);
    const t = 17;
    const run = (layout: "far" | "behind" | "in place"): number[][] => {
      const heap = new ArrayBuffer(1 << 16);
      const [w, g, m, v] = [W, G, M, V].map((src, i) => at(heap, 4096 * (i + 1), n, src));
      const outs =
        layout === "in place"
          ? [w, m, v]
          : layout === "behind"
            ? [w, m, v].map((src) => at(heap, src.byteOffset + n * 4 + 8, n))
            : [0, 1, 2].map((i) => at(heap, 32768 + 4096 * i, n));
      blas.adamUpdate(w, g, m, v, outs[0], outs[1], outs[2], 5e-3, 0.9, 0.999, 1 - 0.9 ** t, 1 - 0.999 ** t, 1e-8, 0.01);
      return outs.map(bits);
    };
    const far = run("far");
    expect(run("behind")).toEqual(far);
    expect(run("in place")).toEqual(far);
  });

  it("softmax cross-entropy and column sums: outputs right behind the inputs give the bits of outputs far away", () => {
    const n = 16;
    const c = 37;
    const Z = values(n * c, 10, 4);
    const DY = values(n, 11, 1);
    const T = Int32Array.from({ length: n }, (_, i) => (i * 7) % c);
    const run = (behind: boolean): number[][] => {
      const heap = new ArrayBuffer(1 << 16);
      const z = at(heap, 0, n * c, Z);
      const dy = at(heap, 8192, n, DY);
      const t = new Int32Array(heap, 12288, n);
      t.set(T);
      const lse = at(heap, behind ? 8192 + n * 4 + 8 : 16384, n);
      const g = at(heap, behind ? z.byteLength + 8 : 20480, n * c);
      const sums = at(heap, behind ? 8192 + n * 4 + 8 + n * 4 + 8 : 40960, c);
      blas.logSumExpRows(z, lse, n, c);
      blas.softmaxXentGrad(z, lse, t, dy, g, n, c, 0.1);
      blas.blockSums(z, sums, 1, n, c);
      return [bits(lse), bits(g), bits(sums)];
    };
    expect(run(true)).toEqual(run(false));
  });

  it("exp: in place and far away give the same bits", () => {
    const X2 = values(100, 9, 20);
    const heap = new ArrayBuffer(1 << 12);
    const x = at(heap, 0, 100, X2);
    const out = at(heap, 2048, 100);
    blas.exp(x, out);
    blas.exp(x, x);
    expect(bits(x)).toEqual(bits(out));
  });
});
