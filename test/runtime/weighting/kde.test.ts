// Gaussian KDE against densities computed by hand (and matching scipy.stats.gaussian_kde, whose
// values are quoted), in 1-D and 2-D, full and diagonal Scott bandwidths.
import { beforeAll, describe, expect, it } from "vitest";
import { fitKde, gaussianKde, kdeLogDensity, scottFactor } from "../../../src/runtime/weighting/kde.js";
import { useCpuBackend } from "../../helpers/tf.js";

beforeAll(useCpuBackend);

describe("gaussianKde", () => {
  it("matches the hand-computed 1-D density with Scott's bandwidth", async () => {
    // Sample {0, 1, 3}: mean 4/3, unbiased variance (16/9 + 1/9 + 25/9) / 2 = 7/3,
    // factor f = 3^(−1/5), h² = f²·7/3; p(x) = (1/3) Σ_s exp(−(x−s)²/(2h²)) / √(2πh²).
    const f = Math.pow(3, -1 / 5);
    const h2 = f * f * (7 / 3);
    const byHand = (x: number) => [0, 1, 3].reduce((p, s) => p + Math.exp(-((x - s) ** 2) / (2 * h2)) / Math.sqrt(2 * Math.PI * h2), 0) / 3;
    const queries = [0, 0.5, 2, 10];
    const { logDensity, kde } = await gaussianKde(Float32Array.from([0, 1, 3]), 3, Float32Array.from(queries), 4, 1);
    expect(kde.factor).toBeCloseTo(0.8027415617602307, 12);
    // scipy.stats.gaussian_kde([0, 1, 3]) at the same points.
    const scipy = [0.191655645, 0.213165758, 0.184215333, 9.09235517e-9];
    queries.forEach((x, i) => {
      expect(Math.exp(logDensity[i])).toBeCloseTo(byHand(x), 6);
      expect(Math.exp(logDensity[i]) / scipy[i]).toBeCloseTo(1, 5);
    });
  });

  it("matches the 2-D density with the full and the diagonal bandwidth matrix", async () => {
    const sample = Float32Array.from([0, 0, 1, 0.5, 2, 2.5, -1, 0.2, 0.5, -1]);
    const queries = Float32Array.from([0, 0, 1, 1, 3, -2]);
    // By hand: Σ = unbiased covariance of the 5 points, H = f²Σ (f = 5^(−1/6)), and
    // p(q) = (1/5) Σ_s exp(−(q−s)ᵀH⁻¹(q−s)/2) / (2π √det H); "diagonal" keeps diag(Σ) only.
    const n = 5;
    const xs = [0, 1, 2, -1, 0.5];
    const ys = [0, 0.5, 2.5, 0.2, -1];
    const mx = xs.reduce((a, b) => a + b) / n;
    const my = ys.reduce((a, b) => a + b) / n;
    const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0) / (n - 1);
    const syy = ys.reduce((a, y) => a + (y - my) ** 2, 0) / (n - 1);
    const sxy = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0) / (n - 1);
    const f2 = Math.pow(n, -2 / 6);
    const density = (qx: number, qy: number, a: number, b: number, c: number) => {
      // H = [[a, b], [b, c]]
      const det = a * c - b * b;
      let p = 0;
      for (let s = 0; s < n; s++) {
        const dx = qx - xs[s];
        const dy = qy - ys[s];
        const m = (c * dx * dx - 2 * b * dx * dy + a * dy * dy) / det;
        p += Math.exp(-m / 2) / (2 * Math.PI * Math.sqrt(det));
      }
      return p / n;
    };
    const full = (await gaussianKde(sample, n, queries, 3, 2, { bandwidth: "full" })).logDensity;
    const diagonal = (await gaussianKde(sample, n, queries, 3, 2, { bandwidth: "diagonal" })).logDensity;
    const scipyLog = [-2.36338004, -2.4715715, -14.51668854]; // gaussian_kde(...).logpdf
    const scipyDiagonal = [0.09269797, 0.05643857, 0.0004199]; // mean of multivariate_normal pdfs
    for (let i = 0; i < 3; i++) {
      const [qx, qy] = [queries[2 * i], queries[2 * i + 1]];
      expect(Math.exp(full[i]) / density(qx, qy, f2 * sxx, f2 * sxy, f2 * syy)).toBeCloseTo(1, 4);
      expect(Math.exp(diagonal[i]) / density(qx, qy, f2 * sxx, 0, f2 * syy)).toBeCloseTo(1, 4);
      expect(full[i]).toBeCloseTo(scipyLog[i], 4);
      expect(Math.exp(diagonal[i]) / scipyDiagonal[i]).toBeCloseTo(1, 3);
    }
  });

  it("gives finite log densities where the density itself leaves float64 (64 dimensions, tight sample)", async () => {
    const dim = 64;
    const n = 50;
    const sample = new Float32Array(n * dim);
    for (let i = 0; i < sample.length; i++) sample[i] = 1e-6 * Math.sin(i * 12.9898);
    const kde = fitKde(sample, n, dim, { bandwidth: "diagonal" });
    const log = await kdeLogDensity(kde, sample, sample.subarray(0, 3 * dim), 3, { bandwidth: "diagonal", chunkRows: 2 });
    for (const v of log) {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThan(709); // exp(v) would overflow float64
    }
  });

  it("gives the same densities whatever the chunk size", async () => {
    const sample = Float32Array.from({ length: 40 * 3 }, (_, i) => Math.cos(i * 0.7) + (i % 3));
    const points = Float32Array.from({ length: 7 * 3 }, (_, i) => Math.sin(i));
    const kde = fitKde(sample, 40, 3);
    const a = await kdeLogDensity(kde, sample, points, 7, { chunkRows: 1 });
    const b = await kdeLogDensity(kde, sample, points, 7, { chunkRows: 100 });
    for (let i = 0; i < 7; i++) expect(a[i]).toBeCloseTo(b[i], 5);
  });

  it("rejects a sample with a dimension that has no spread", async () => {
    expect(() => fitKde(Float32Array.from([0, 1, 0, 2, 0, 3]), 3, 2)).toThrow(/singular/);
    expect(scottFactor(10000, 64)).toBeCloseTo(Math.pow(10000, -1 / 68), 12);
  });
});
