import { describe, expect, it } from "vitest";
import { symmetricEigen } from "../../../src/runtime/data/symmetric-eigen.js";
import { Rng } from "../../../src/runtime/random.js";

describe("symmetricEigen", () => {
  it("solves a 2 × 2 case by hand: [[2,1],[1,2]] has 3 along (1,1) and 1 along (1,-1)", () => {
    const { values, vectors } = symmetricEigen([2, 1, 1, 2], 2);
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
    expect(Math.abs(vectors[0])).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors[0] * vectors[2]).toBeCloseTo(0.5, 12); // same sign in column 0
    expect(vectors[1] * vectors[3]).toBeCloseTo(-0.5, 12); // opposite signs in column 1
  });

  it("gives A·v = λ·v with orthonormal vectors, values descending, on a random 40 × 40 matrix", () => {
    const n = 40;
    const rng = new Rng(5);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = rng.normal();
    const { values, vectors } = symmetricEigen(a, n);
    for (let k = 1; k < n; k++) expect(values[k]).toBeLessThanOrEqual(values[k - 1]);
    let worst = 0;
    for (let k = 0; k < n; k++) {
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let j = 0; j < n; j++) av += a[i * n + j] * vectors[j * n + k];
        worst = Math.max(worst, Math.abs(av - values[k] * vectors[i * n + k]));
      }
      for (let k2 = 0; k2 < n; k2++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += vectors[i * n + k] * vectors[i * n + k2];
        worst = Math.max(worst, Math.abs(dot - (k === k2 ? 1 : 0)));
      }
    }
    expect(worst).toBeLessThan(1e-10);
  });

  it("handles diagonal and repeated eigenvalues", () => {
    const { values } = symmetricEigen([1, 0, 0, 0, 5, 0, 0, 0, 1], 3);
    expect(Array.from(values)).toEqual([5, 1, 1]);
  });
});
