import { describe, expect, it } from "vitest";
import { tfidf } from "../../../src/runtime/data/tfidf.js";

/** Dense row of a CSR matrix. */
function row(m: ReturnType<typeof tfidf>["matrix"], i: number): number[] {
  const out = new Array(m.cols).fill(0);
  for (let k = m.rowPtr[i]; k < m.rowPtr[i + 1]; k++) out[m.colIdx[k]] = m.values[k];
  return out;
}

describe("tfidf", () => {
  // N = 3 documents; df(a) = 2, df(b) = df(c) = 1.
  // idf(a) = ln(4/3) + 1 = 1.2876821, idf(b) = idf(c) = ln(4/2) + 1 = 1.6931472.
  const docs = [["a", "b"], ["a", "a", "c"], []];

  it("computes smoothed idf and raw tf·idf by hand", () => {
    const t = tfidf(docs, { normalize: false });
    expect(t.vocabulary).toEqual(["a", "b", "c"]);
    expect(t.idf[0]).toBeCloseTo(1.2876821, 6);
    expect(t.idf[1]).toBeCloseTo(1.6931472, 6);
    const r1 = row(t.matrix, 1);
    expect(r1[0]).toBeCloseTo(2 * 1.2876821, 6);
    expect(r1[1]).toBe(0);
    expect(r1[2]).toBeCloseTo(1.6931472, 6);
    expect(row(t.matrix, 2)).toEqual([0, 0, 0]);
  });

  it("scales rows to unit length by default", () => {
    const t = tfidf(docs);
    const r0 = row(t.matrix, 0);
    expect(r0[0]).toBeCloseTo(0.6053485, 6);
    expect(r0[1]).toBeCloseTo(0.7959605, 6);
    const r1 = row(t.matrix, 1);
    expect(r1[0]).toBeCloseTo(0.8355915, 6);
    expect(r1[2]).toBeCloseTo(0.5493512, 6);
  });

  it("offers sublinear tf", () => {
    const t = tfidf(docs, { normalize: false, sublinearTf: true });
    expect(row(t.matrix, 1)[0]).toBeCloseTo((1 + Math.log(2)) * 1.2876821, 6);
  });
});
