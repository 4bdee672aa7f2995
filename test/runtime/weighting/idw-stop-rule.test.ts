// IDW's loop with the authors' settings (momentum 0.9, stop below max |Δw| = 0.005 or after 20
// reweightings) on a three-item case worked out by hand: targets counted 7, 2, 1 and a density
// target w̃ that does not move, so w_t − w̃ = 0.9^t (w_0 − w̃) and |Δw| shrinks by 0.9 a step.
import { describe, expect, it } from "vitest";
import { idwLoop, inverseDensityWeights, momentumUpdate } from "../../../src/runtime/weighting/idw.js";

const counts = Int32Array.from([0, 7, 2, 1]);
// Densities 0.9999, 0.4999, 0.1999: 1/(d + 1e-4) = 1, 2, 5, so w̃ = 1/8, 2/8, 5/8.
const target = inverseDensityWeights(Float64Array.from([0.9999, 0.4999, 0.1999].map(Math.log)));

/** A reweighting whose w̃ is `target` every time, with the momentum of the settings. */
const fixedStep = (momentum: number) => async (w: Float64Array) => ({ ...momentumUpdate(w, target, momentum), seconds: 0 });

describe("IDW with the authors' settings", () => {
  it("takes w̃ = 1/8, 2/8, 5/8 and one momentum step from w_0 = 0.7, 0.2, 0.1", () => {
    expect(Array.from(target)).toEqual([0, 0.125, 0.25, 0.625].map((x) => expect.closeTo(x, 12)));
    const { weights, maxDelta } = momentumUpdate(Float64Array.from([0, 0.7, 0.2, 0.1]), target, 0.9);
    // 0.9·0.7 + 0.1·0.125 = 0.6425; 0.9·0.2 + 0.1·0.25 = 0.205; 0.9·0.1 + 0.1·0.625 = 0.1525.
    expect(weights[1]).toBeCloseTo(0.6425, 12);
    expect(weights[2]).toBeCloseTo(0.205, 12);
    expect(weights[3]).toBeCloseTo(0.1525, 12);
    expect(maxDelta).toBeCloseTo(0.0575, 12);
  });

  it("runs all 20 reweightings when |Δw| = 0.0575·0.9^(t−1) stays above 0.005 (it would cross at t = 25)", async () => {
    const trained: number[] = [];
    let first: Float32Array | undefined;
    const result = await idwLoop(
      fixedStep(0.9),
      counts,
      { tolerance: 0.005, iterations: 20 },
      {
        train: async (it, perExample) => {
          trained.push(it);
          first ??= perExample;
        },
      },
    );
    expect(trained).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(result.converged).toBe(false);
    result.iterations.forEach((info, i) => expect(info.maxDelta).toBeCloseTo(0.0575 * 0.9 ** i, 12));
    expect(result.iterations[19].maxDelta).toBeCloseTo(0.0077674, 6);
    // After the first step, target i weighs w_i / count_i, scaled to mean 1 over the 10 examples:
    // 0.6425/7, 0.205/2, 0.1525/1 times 10 / (0.6425 + 0.205 + 0.1525) = 10.
    expect(first![1]).toBeCloseTo(0.917857, 5);
    expect(first![2]).toBeCloseTo(1.025, 5);
    expect(first![3]).toBeCloseTo(1.525, 5);
    // w_20 = w̃ + 0.9^20 (w_0 − w̃).
    expect(result.weights[1]).toBeCloseTo(0.125 + 0.9 ** 20 * 0.575, 12);
  });

  it("stops at the first |Δw| below the tolerance, without training on it", async () => {
    // Tolerance 0.01: Δ_17 = 0.0575·0.9^16 ≈ 0.01065 still trains, Δ_18 ≈ 0.00959 stops.
    const trained: number[] = [];
    const result = await idwLoop(fixedStep(0.9), counts, { tolerance: 0.01, iterations: 20 }, { train: async (it) => void trained.push(it) });
    expect(trained).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    expect(result.converged).toBe(true);
    expect(result.iterations).toHaveLength(18);
    expect(result.iterations[17].trained).toBe(false);
    expect(result.iterations[17].maxDelta).toBeCloseTo(0.0095894, 6);
  });

  it("resumes after the last finished iteration with its weights", async () => {
    const trained: number[] = [];
    const w = Float64Array.from([0, 0.2, 0.3, 0.5]);
    const result = await idwLoop(
      fixedStep(0.9),
      counts,
      { tolerance: 0.005, iterations: 20 },
      { train: async (it) => void trained.push(it) },
      { iteration: 18, weights: w },
    );
    // From w: |Δw| = 0.1·max(|0.2 − 0.125|, |0.3 − 0.25|, |0.5 − 0.625|) = 0.0125, then 0.01125.
    expect(trained).toEqual([19, 20]);
    expect(result.iterations.map((i) => i.maxDelta)).toEqual([expect.closeTo(0.0125, 12), expect.closeTo(0.01125, 12)]);
  });
});
