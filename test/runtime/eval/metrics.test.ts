import { describe, expect, it } from "vitest";
import { coverageAt, hitAt, ndcgAt, ndcgAtMulti, parseMetricName, rankOf, recallAt, reciprocalRank, userMetric } from "../../../src/runtime/eval/metrics.js";

const list = [7, 3, 9, 1, 5]; // target 9 sits at rank 2 (third place)

describe("parseMetricName", () => {
  it("parses names with and without cutoffs", () => {
    expect(parseMetricName("recall@10")).toEqual({ name: "recall@10", kind: "recall", k: 10 });
    expect(parseMetricName("NDCG@5")).toEqual({ name: "ndcg@5", kind: "ndcg", k: 5 });
    expect(parseMetricName("hr@1")).toEqual({ name: "hr@1", kind: "hr", k: 1 });
    expect(parseMetricName("mrr")).toEqual({ name: "mrr", kind: "mrr", k: null });
    expect(parseMetricName("mrr@20").k).toBe(20);
    expect(parseMetricName("coverage@10").kind).toBe("coverage");
  });

  it("rejects unknown names, zero cutoffs and missing cutoffs", () => {
    expect(() => parseMetricName("auc")).toThrow(/unknown metric/);
    expect(() => parseMetricName("ndcg@0")).toThrow(/unknown metric/);
    expect(() => parseMetricName("recall")).toThrow(/needs a cutoff/);
  });
});

describe("single-target metrics", () => {
  it("finds ranks", () => {
    expect(rankOf(list, 9)).toBe(2);
    expect(rankOf(list, 9, 2)).toBe(-1);
    expect(rankOf(list, 42)).toBe(-1);
  });

  it("HR and recall are 1 only when the target is within K", () => {
    expect(hitAt(list, 9, 3)).toBe(1);
    expect(hitAt(list, 9, 2)).toBe(0);
    expect(recallAt(list, 9, 3)).toBe(1);
    expect(recallAt(list, 9, 2)).toBe(0);
  });

  it("NDCG is 1/log2(rank + 2): rank 2 gives 1/log2(4) = 0.5", () => {
    expect(ndcgAt(list, 9, 5)).toBeCloseTo(0.5, 12);
    expect(ndcgAt(list, 7, 5)).toBe(1);
    expect(ndcgAt(list, 3, 5)).toBeCloseTo(1 / Math.log2(3), 12);
    expect(ndcgAt(list, 9, 2)).toBe(0);
  });

  it("MRR is 1/(rank + 1)", () => {
    expect(reciprocalRank(list, 9)).toBeCloseTo(1 / 3, 12);
    expect(reciprocalRank(list, 5)).toBeCloseTo(1 / 5, 12);
    expect(reciprocalRank(list, 5, 4)).toBe(0);
    expect(reciprocalRank(list, 42)).toBe(0);
  });
});

describe("multi-relevant metrics", () => {
  it("recall counts the fraction of relevant items found", () => {
    expect(recallAt(list, [3, 5, 42], 5)).toBeCloseTo(2 / 3, 12);
    expect(recallAt(list, [3, 5, 42], 2)).toBeCloseTo(1 / 3, 12);
  });

  it("NDCG divides by the ideal DCG", () => {
    // Relevant {3, 5}: ranks 1 and 4 → DCG = 1/log2(3) + 1/log2(6); ideal = 1 + 1/log2(3).
    const expected = (1 / Math.log2(3) + 1 / Math.log2(6)) / (1 + 1 / Math.log2(3));
    expect(ndcgAtMulti(list, [3, 5], 5)).toBeCloseTo(expected, 12);
    // A single relevant id reduces to the single-target form.
    expect(ndcgAtMulti(list, [9], 5)).toBeCloseTo(0.5, 12);
  });

  it("NDCG supports graded gains", () => {
    // Gains 7 → 1, 9 → 3: DCG = 1/1 + 3/2; ideal = 3/1 + 1/log2(3).
    const gains = new Map([
      [7, 1],
      [9, 3],
    ]);
    expect(ndcgAtMulti(list, gains, 5)).toBeCloseTo(2.5 / (3 + 1 / Math.log2(3)), 12);
  });

  it("a repeated relevant id earns its gain once", () => {
    expect(ndcgAtMulti([4, 4], [4], 2)).toBe(1);
    expect(recallAt([4, 4], [4, 8], 2)).toBe(0.5);
  });

  it("MRR and HR use the first relevant item", () => {
    expect(reciprocalRank(list, [5, 9])).toBeCloseTo(1 / 3, 12);
    expect(hitAt(list, [5, 9], 2)).toBe(0);
  });
});

describe("coverage", () => {
  it("is the fraction of non-pad items in any top-K list", () => {
    // 6 ids (0..5), so 5 rankable items; top-2 lists hit {1, 2, 3} → 3/5. The pad never counts.
    const lists = [
      [1, 2, 4],
      [2, 3, 5],
      [0, 1, 4],
    ];
    expect(coverageAt(lists, 2, 6)).toBeCloseTo(3 / 5, 12);
    expect(coverageAt(lists, 3, 6)).toBeCloseTo(1, 12);
  });
});

describe("userMetric", () => {
  it("dispatches on the metric kind and refuses coverage", () => {
    expect(userMetric(parseMetricName("ndcg@5"), list, 9)).toBeCloseTo(0.5, 12);
    expect(userMetric(parseMetricName("mrr"), list, 5)).toBeCloseTo(0.2, 12);
    expect(userMetric(parseMetricName("hr@2"), list, 3)).toBe(1);
    expect(() => userMetric(parseMetricName("coverage@5"), list, 9)).toThrow(/coverage/);
  });
});
