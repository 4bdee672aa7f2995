import { describe, expect, it } from "vitest";
import { bootstrapMean, quantile } from "../../../src/runtime/eval/bootstrap.js";
import { Rng } from "../../../src/runtime/random.js";

function bernoulli(n: number, p: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: n }, () => (rng.next() < p ? 1 : 0));
}

describe("quantile", () => {
  it("interpolates linearly between order statistics", () => {
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([0, 10], 0.25)).toBe(2.5);
    expect(Number.isNaN(quantile([], 0.5))).toBe(true);
  });
});

describe("bootstrapMean", () => {
  it("gives the exact mean and an interval around it", () => {
    const values = bernoulli(400, 0.3, 1);
    const r = bootstrapMean(values, { seed: 3 });
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(r.n).toBe(400);
    expect(r.mean).toBeCloseTo(mean, 12);
    expect(r.low).toBeLessThan(r.mean);
    expect(r.high).toBeGreaterThan(r.mean);
    // The binomial standard error here is ≈ 0.023, so a 95% interval is ≈ ±0.045 wide each side.
    expect(r.high - r.low).toBeGreaterThan(0.06);
    expect(r.high - r.low).toBeLessThan(0.12);
  });

  it("shrinks as n grows (≈ 1/√n)", () => {
    const small = bootstrapMean(bernoulli(100, 0.3, 2), { seed: 1 });
    const large = bootstrapMean(bernoulli(10000, 0.3, 2), { seed: 1 });
    const ratio = (small.high - small.low) / (large.high - large.low);
    expect(ratio).toBeGreaterThan(6);
    expect(ratio).toBeLessThan(14);
  });

  it("is reproducible for a seed and narrower at lower confidence", () => {
    const values = bernoulli(200, 0.5, 4);
    expect(bootstrapMean(values, { seed: 9 })).toEqual(bootstrapMean(values, { seed: 9 }));
    const wide = bootstrapMean(values, { seed: 9, confidence: 0.99 });
    const narrow = bootstrapMean(values, { seed: 9, confidence: 0.5 });
    expect(narrow.high - narrow.low).toBeLessThan(wide.high - wide.low);
  });

  it("restricts to a mask and handles empty or constant input", () => {
    const r = bootstrapMean([1, 0, 1, 0], { resamples: 50 }, [1, 0, 1, 0]);
    expect(r).toEqual({ mean: 1, low: 1, high: 1, n: 2 });
    const empty = bootstrapMean([1, 2], {}, [0, 0]);
    expect(empty.n).toBe(0);
    expect(Number.isNaN(empty.mean)).toBe(true);
    expect(() => bootstrapMean([1], {}, [1, 1])).toThrow(/mask/);
    expect(() => bootstrapMean([1], { confidence: 1 })).toThrow(/confidence/);
  });
});
