// The per-example weights generated two-tower models hold: rescaled to mean 1 over the training
// examples, looked up per batch, and inverse-frequency weights that make every target item count
// the same in total.
import { describe, expect, it } from "vitest";
import type { Example } from "../../../src/runtime/data/split.js";
import { ExampleWeights, targetCounts } from "../../../src/runtime/weighting/example-weights.js";
import { inverseFrequencyWeights } from "../../../src/runtime/weighting/inverse-frequency.js";

const examples = [1, 1, 1, 2, 3, 3].map((target, user) => ({ user, history: [1], target }) as unknown as Example);

describe("ExampleWeights", () => {
  it("counts targets and rescales weights to mean 1 over the examples", () => {
    const counts = targetCounts(examples, 4);
    expect(Array.from(counts)).toEqual([0, 3, 1, 2, 0]);
    const weights = new ExampleWeights(examples, 4);
    expect(weights.of(Int32Array.from([1, 2]))).toBeUndefined();
    expect(weights.total(Int32Array.from([1, 2]))).toBe(2);
    weights.set(Float32Array.from([0, 1, 2, 4, 9]));
    const total = examples.reduce((s, e) => s + weights.byItem![e.target], 0);
    expect(total).toBeCloseTo(examples.length, 5);
    expect(weights.total(Int32Array.from([2, 3]))).toBeCloseTo(weights.byItem![2] + weights.byItem![3], 6);
    weights.set(null);
    expect(weights.byItem).toBeNull();
  });

  it("inverse frequency gives every target item the same total weight", () => {
    const counts = targetCounts(examples, 4);
    const weights = new ExampleWeights(examples, 4);
    weights.set(inverseFrequencyWeights(counts));
    const w = weights.byItem!;
    for (const j of [1, 2, 3]) expect(w[j] * counts[j]).toBeCloseTo(2, 5);
    expect(w[4]).toBe(0);
  });
});
