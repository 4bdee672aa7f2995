import { describe, expect, it } from "vitest";
import { csrFromDense, transposeCsr } from "../../../src/runtime/data/csr-matrix.js";
import { truncatedSvd } from "../../../src/runtime/data/truncated-svd.js";
import { symmetricEigen } from "../../../src/runtime/data/symmetric-eigen.js";
import { Rng } from "../../../src/runtime/random.js";

describe("truncatedSvd", () => {
  // A = [[3,0,0],[4,5,0],[0,0,0],[0,0,2]]: AᵀA = [[25,20,0],[20,25,0],[0,0,4]] has eigenvalues
  // 45, 5, 4, so σ = 3√5, √5, 2; v₁ = (1,1,0)/√2 and u₁ = A·v₁/σ₁ = (1,3,0,0)/√10.
  const dense = [3, 0, 0, 4, 5, 0, 0, 0, 0, 0, 0, 2];
  const a = csrFromDense(4, 3, dense);

  it("finds the singular values of a 4 × 3 matrix computed by hand", () => {
    const svd = truncatedSvd(a, 3, { seed: 1 });
    expect(svd.singularValues[0]).toBeCloseTo(Math.sqrt(45), 10);
    expect(svd.singularValues[1]).toBeCloseTo(Math.sqrt(5), 10);
    expect(svd.singularValues[2]).toBeCloseTo(2, 10);
    // Sign fixed so the largest entry of v is positive.
    expect(svd.v[0 * 3 + 0]).toBeCloseTo(Math.SQRT1_2, 10);
    expect(svd.v[1 * 3 + 0]).toBeCloseTo(Math.SQRT1_2, 10);
    expect(svd.u[0 * 3 + 0]).toBeCloseTo(1 / Math.sqrt(10), 10);
    expect(svd.u[1 * 3 + 0]).toBeCloseTo(3 / Math.sqrt(10), 10);
    // Projections are A·V: row 1 on v₁ is (4 + 5)/√2.
    expect(svd.projections[1 * 3 + 0]).toBeCloseTo(9 / Math.SQRT2, 10);
  });

  it("reconstructs A from U·Σ·Vᵀ at full rank, and pads with zeros beyond the rank", () => {
    const svd = truncatedSvd(a, 4, { seed: 2 });
    expect(svd.singularValues[3]).toBe(0);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 4; k++) s += svd.u[i * 4 + k] * svd.singularValues[k] * svd.v[j * 4 + k];
        expect(s).toBeCloseTo(dense[i * 3 + j], 10);
      }
    }
  });

  it("gives the same values for a wide matrix (Aᵀ) with u and v swapped", () => {
    const wide = truncatedSvd(transposeCsr(a), 2, { seed: 3 });
    expect(wide.singularValues[0]).toBeCloseTo(Math.sqrt(45), 10);
    expect(wide.singularValues[1]).toBeCloseTo(Math.sqrt(5), 10);
    expect(Math.abs(wide.u[0 * 2 + 0])).toBeCloseTo(Math.SQRT1_2, 10);
  });

  it("matches the eigenvalues of AᵀA on a random sparse 60 × 25 matrix, top 5 of it", () => {
    const m = 60;
    const n = 25;
    const rng = new Rng(9);
    const values = Array.from({ length: m * n }, () => (rng.next() < 0.2 ? rng.normal() : 0));
    const sparse = csrFromDense(m, n, values);
    const gram = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let r = 0; r < m; r++) gram[i * n + j] += values[r * n + i] * values[r * n + j];
    const eig = symmetricEigen(gram, n);
    const svd = truncatedSvd(sparse, 5, { seed: 4, oversample: 8, iterations: 8 });
    for (let k = 0; k < 5; k++) expect(svd.singularValues[k]).toBeCloseTo(Math.sqrt(eig.values[k]), 6);
    // Columns of V orthonormal.
    for (let p = 0; p < 5; p++) {
      for (let q = 0; q < 5; q++) {
        let dot = 0;
        for (let j = 0; j < n; j++) dot += svd.v[j * 5 + p] * svd.v[j * 5 + q];
        expect(dot).toBeCloseTo(p === q ? 1 : 0, 8);
      }
    }
  });

  it("is deterministic for a seed", () => {
    const x = truncatedSvd(a, 2, { seed: 7 });
    const y = truncatedSvd(a, 2, { seed: 7 });
    expect(Array.from(x.projections)).toEqual(Array.from(y.projections));
  });
});
