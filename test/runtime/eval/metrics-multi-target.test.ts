// Metrics of an example with several held-out items (ratio and random splits), hand-computed:
// recall = hits / |relevant|, hr = any hit, NDCG over the ideal DCG of the relevant set, MRR of the
// first relevant item; through userMetric and the evaluator, mixed with single-target users.
import { describe, expect, it } from "vitest";
import { parseMetricName, userMetric } from "../../../src/runtime/eval/metrics.js";
import { evaluateLists } from "../../../src/runtime/eval/evaluate.js";

// Relevant {2, 7, 4}: 2 sits at rank 1, 7 at rank 3, 4 is not listed.
const list = [5, 2, 9, 7];
const relevant = Int32Array.of(2, 7, 4);
const metric = (name: string, rel: number | Int32Array = relevant, l: number[] = list) => userMetric(parseMetricName(name), l, rel);

const L3 = Math.log2(3); // rank 1
const L5 = Math.log2(5); // rank 3
const IDCG3 = 1 + 1 / L3 + 1 / Math.log2(4); // three relevant items at ranks 0, 1, 2

describe("metrics with several relevant items", () => {
  it("recall@K is hits / |relevant|", () => {
    expect(metric("recall@1")).toBe(0);
    expect(metric("recall@3")).toBeCloseTo(1 / 3, 12);
    expect(metric("recall@4")).toBeCloseTo(2 / 3, 12);
    // More relevant items than K: two hits of three at K = 2 is 2/3, not 1.
    expect(metric("recall@2", relevant, [2, 7, 1])).toBeCloseTo(2 / 3, 12);
  });

  it("hr@K is 1 when any relevant item is in the top K", () => {
    expect(metric("hr@1")).toBe(0);
    expect(metric("hr@2")).toBe(1);
  });

  it("NDCG@K divides by the ideal DCG of min(K, |relevant|) hits", () => {
    // DCG@3 = 1/log2(3); IDCG@3 = 1 + 1/log2(3) + 1/2 = 2.1309…; 0.6309 / 2.1309 = 0.29608.
    expect(metric("ndcg@3")).toBeCloseTo(1 / L3 / IDCG3, 12);
    expect(metric("ndcg@3")).toBeCloseTo(0.29608, 5);
    expect(metric("ndcg@4")).toBeCloseTo((1 / L3 + 1 / L5) / IDCG3, 12);
    // K = 2: the ideal has two hits (1 + 1/log2 3); the list has 2 at rank 1.
    expect(metric("ndcg@2")).toBeCloseTo(1 / L3 / (1 + 1 / L3), 12);
    // Every relevant item at the top is a perfect list.
    expect(metric("ndcg@3", relevant, [7, 4, 2])).toBeCloseTo(1, 12);
  });

  it("MRR is the reciprocal rank of the first relevant item", () => {
    expect(metric("mrr")).toBe(1 / 2);
    expect(metric("mrr@1")).toBe(0);
  });

  it("the evaluator averages users with several targets and users with one alike", () => {
    // User 0 as above; user 1 has the single target 9 at rank 2 (as a one-item list).
    const rows = evaluateLists([Int32Array.from(list), Int32Array.of(1, 3, 9)], {
      metrics: ["recall@3", "ndcg@3"],
      targets: [relevant, Int32Array.of(9)],
      numItems: 10,
      bootstrap: { resamples: 1 },
    });
    const mean = (name: string) => rows.find((r) => r.metric === name)!.mean;
    expect(mean("recall@3")).toBeCloseTo((1 / 3 + 1) / 2, 12);
    expect(mean("ndcg@3")).toBeCloseTo((1 / L3 / IDCG3 + 1 / Math.log2(4)) / 2, 12);
  });
});
