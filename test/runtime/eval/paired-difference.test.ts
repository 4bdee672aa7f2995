import { describe, expect, it } from "vitest";
import { bootstrapMean, sliceResampler } from "../../../src/runtime/eval/bootstrap.js";
import { pairedDifference } from "../../../src/runtime/eval/paired-difference.js";

describe("pairedDifference", () => {
  it("matches a hand computation on fixed resamples", () => {
    // Seed 0, slice "all", n = 3: the three resamples draw users [0,0,0], [0,0,0], [0,1,1].
    const rng = sliceResampler(0, "all");
    expect(Array.from({ length: 9 }, () => rng.int(3))).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1]);
    // Differences [1, 0, .5] (a fourth user outside the mask is ignored): mean .5; resample means
    // 1, 1, 1/3 → sorted [1/3, 1, 1]; at 50%, low = q(.25) = 1/3 + .5·(2/3) = 2/3, high = q(.75) = 1.
    const a = [1, 0.25, 0.5, 9];
    const b = [0, 0.25, 0, 0];
    const d = pairedDifference(a, b, [1, 1, 1, 0], "all", { seed: 0, resamples: 3, confidence: 0.5 });
    expect(d.n).toBe(3);
    expect(d.mean).toBeCloseTo(0.5, 12);
    expect(d.low).toBeCloseTo(2 / 3, 12);
    expect(d.high).toBeCloseTo(1, 12);
  });

  it("draws the same resamples as the marginal intervals of the slice", () => {
    const a = Float64Array.from({ length: 50 }, (_, u) => ((u * 7) % 5 === 0 ? 1 : 0));
    const zero = new Float64Array(50);
    const mask = Float64Array.from({ length: 50 }, (_, u) => (u % 3 === 0 ? 0 : 1));
    const marginal = bootstrapMean(a, { resamples: 200, rng: sliceResampler(4, "head") }, mask);
    const paired = pairedDifference(a, zero, mask, "head", { resamples: 200, seed: 4 });
    expect(paired).toEqual(marginal);
  });

  it("separates two rankers whose marginal intervals overlap", () => {
    // Users vary a lot; the model beats the baseline by .05 on every one of them.
    const b = Float64Array.from({ length: 40 }, (_, u) => (u % 2 === 0 ? 0 : 1));
    const a = b.map((v) => v + 0.05);
    const all = new Float64Array(40).fill(1);
    const ma = bootstrapMean(a, { rng: sliceResampler(0, "all") }, all);
    const mb = bootstrapMean(b, { rng: sliceResampler(0, "all") }, all);
    expect(ma.low).toBeLessThan(mb.high);
    const d = pairedDifference(a, b, all, "all");
    expect(d.low).toBeCloseTo(0.05, 12);
    expect(d.high).toBeCloseTo(0.05, 12);
    expect(d.mean).toBeCloseTo(ma.mean - mb.mean, 12);
  });

  it("refuses arrays of different lengths", () => {
    expect(() => pairedDifference([1, 2], [1], [1, 1], "all")).toThrow(/2 values against 1/);
  });
});
