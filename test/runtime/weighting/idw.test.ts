// IDW mechanics by hand: initial weights, per-example weights and their normalisation, the
// inverse-density weights (also where densities leave float64), the momentum update, weighted
// sampling, and whole reweightings on fixed embeddings (low-density items gain weight; the loop
// stops on tolerance or after its iterations).
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { Rng } from "../../../src/runtime/random.js";
import {
  initialItemWeights,
  inverseDensityWeights,
  iterativeDensityWeighting,
  momentumUpdate,
  perExampleWeights,
  reweight,
  sampleByWeight,
  type IdwModel,
  type IdwSettings,
} from "../../../src/runtime/weighting/idw.js";
import { useCpuBackend } from "../../helpers/tf.js";

beforeAll(useCpuBackend);

const settings = (overrides: Partial<IdwSettings> = {}): IdwSettings => ({
  momentum: 0.8,
  tolerance: 2e-4,
  iterations: 5,
  epochs: 5,
  sample: 400,
  noise: 0.1,
  ...overrides,
});

/** Items 1..8 in 2-D: 1–6 packed near the origin, 7 and 8 far apart, alone. Counts favour 1–6. */
function fixedModel(): IdwModel {
  const vectors = [
    [0, 0],
    [0, 0],
    [0.1, 0],
    [0, 0.1],
    [-0.1, 0],
    [0, -0.1],
    [0.05, 0.05],
    [3, 3],
    [-3, 3],
  ];
  return {
    numItems: 8,
    targetCounts: Int32Array.from([0, 20, 20, 20, 20, 20, 20, 2, 2]),
    itemVectors: (ids) => tf.tidy(() => tf.gather(tf.tensor2d(vectors), ids) as tf.Tensor2D),
  };
}

describe("IDW weights", () => {
  it("start at count / N, so the per-example weights start uniform", () => {
    const w = initialItemWeights([7, 2, 6, 0, 2]);
    expect(Array.from(w)).toEqual([0, 0.2, 0.6, 0, 0.2]);
    expect(Array.from(perExampleWeights(w, [7, 2, 6, 0, 2]))).toEqual([0, 1, 1, 0, 1]);
  });

  it("give target i the weight w_i / count_i, scaled to mean 1 over the training examples", () => {
    // raw w/count = [.5, .125, .25]; Σ count·raw = 1 over 4 examples, so ×4 → [2, .5, 1].
    const pe = perExampleWeights(Float64Array.from([0, 0.5, 0.25, 0.25]), [0, 1, 2, 1]);
    expect(Array.from(pe)).toEqual([0, 2, 0.5, 1]);
    expect((1 * pe[1] + 2 * pe[2] + 1 * pe[3]) / 4).toBe(1);
  });

  it("take w̃ ∝ 1/(density + 1e-4), summing to 1, even for densities outside float64", () => {
    // d = 1 + 1e-4 and 3 + 1e-4: w̃ = (1/1.0001, 1/3.0001) / their sum.
    const w = inverseDensityWeights(Float64Array.from([Math.log(1), Math.log(3)]));
    const a = 1 / 1.0001;
    const b = 1 / 3.0001;
    expect(w[0]).toBe(0);
    expect(w[1]).toBeCloseTo(a / (a + b), 12);
    expect(w[2]).toBeCloseTo(b / (a + b), 12);
    // exp(1000) overflows: both are equal and finite.
    expect(Array.from(inverseDensityWeights(Float64Array.from([1000, 1000])))).toEqual([0, 0.5, 0.5]);
    // A density of ~0 is floored at 1e-4: d = 1e-4 versus 2e-4 → 2/3, 1/3.
    const floored = inverseDensityWeights(Float64Array.from([-1000, Math.log(1e-4)]));
    expect(floored[1]).toBeCloseTo(2 / 3, 9);
    expect(floored[2]).toBeCloseTo(1 / 3, 9);
  });

  it("move by momentum: w ← m·w + (1 − m)·w̃", () => {
    const { weights, maxDelta } = momentumUpdate(Float64Array.from([0, 0.5, 0.5]), Float64Array.from([0, 0.2, 0.8]), 0.8);
    // 0.8·0.5 + 0.2·0.2 = 0.44; 0.8·0.5 + 0.2·0.8 = 0.56.
    expect(weights[1]).toBeCloseTo(0.44, 12);
    expect(weights[2]).toBeCloseTo(0.56, 12);
    expect(maxDelta).toBeCloseTo(0.06, 12);
    expect(() => momentumUpdate(weights, weights, 1)).toThrow(/momentum/);
  });

  it("sample ids in proportion to their weights, never one of weight 0", () => {
    const drawn = sampleByWeight([0, 0.1, 0.6, 0, 0.3], 20_000, new Rng(1));
    const freq = [0, 0, 0, 0, 0];
    for (const i of drawn) freq[i]++;
    expect(freq[0]).toBe(0);
    expect(freq[3]).toBe(0);
    expect(freq[1] / 20_000).toBeCloseTo(0.1, 1);
    expect(freq[2] / 20_000).toBeCloseTo(0.6, 1);
    expect(Array.from(sampleByWeight([0, 1, 1], 50, new Rng(5)))).toEqual(Array.from(sampleByWeight([0, 1, 1], 50, new Rng(5))));
  });
});

describe("reweight", () => {
  it("moves weight from the dense cluster to the isolated items", async () => {
    const model = fixedModel();
    const w0 = initialItemWeights(model.targetCounts);
    const r = await reweight(model, w0, settings(), new Rng(3));
    expect(r.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    // Isolated items 7, 8 have the lowest density, so the highest w̃, and their weight grows.
    for (const lonely of [7, 8]) {
      for (const packed of [1, 2, 3, 4, 5, 6]) expect(r.target[lonely]).toBeGreaterThan(r.target[packed]);
      expect(r.weights[lonely]).toBeGreaterThan(w0[lonely]);
    }
    for (const packed of [1, 2, 3, 4, 5, 6]) expect(r.weights[packed]).toBeLessThan(w0[packed]);
    // Exactly the momentum step from w0 toward w̃.
    expect(r.weights[7]).toBeCloseTo(0.8 * w0[7] + 0.2 * r.target[7], 12);
    // Seeded: the same again.
    expect(Array.from((await reweight(model, w0, settings(), new Rng(3))).weights)).toEqual(Array.from(r.weights));
  });
});

describe("iterativeDensityWeighting", () => {
  it("trains after every reweighting and stops after `iterations`", async () => {
    const trained: number[] = [];
    const result = await iterativeDensityWeighting(
      fixedModel(),
      settings({ iterations: 3, tolerance: 1e-12 }),
      {
        train: async (it, perExample) => {
          trained.push(it);
          // Mean 1 over the training examples (counts 20×6 + 2×2).
          const counts = fixedModel().targetCounts;
          let total = 0;
          for (let i = 1; i <= 8; i++) total += counts[i] * perExample[i];
          expect(total / 124).toBeCloseTo(1, 5);
        },
      },
      0,
    );
    expect(trained).toEqual([1, 2, 3]);
    expect(result.converged).toBe(false);
    // With fixed embeddings w̃ barely moves, so each step shrinks |Δw| by about m.
    const deltas = result.iterations.map((i) => i.maxDelta);
    expect(deltas[1]).toBeLessThan(deltas[0]);
    expect(deltas[2]).toBeLessThan(deltas[1]);
  });

  it("stops without training once max |Δw| is below the tolerance", async () => {
    const trained: number[] = [];
    const result = await iterativeDensityWeighting(fixedModel(), settings({ tolerance: 10 }), { train: async (it) => void trained.push(it) }, 0);
    expect(trained).toEqual([]);
    expect(result.converged).toBe(true);
    expect(result.iterations).toHaveLength(1);
    expect(result.iterations[0].trained).toBe(false);
  });
});
