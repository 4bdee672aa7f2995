// Evaluation of examples with several held-out items (ratio and random splits): the full-ranking
// evaluator, the early-stopping metric and sampled candidates all score against every target, not
// just the first. A fixed model whose ranking is known by hand.
import { beforeAll, describe, expect, it } from "vitest";
import { evaluateModel, rankingMetric } from "../../../src/runtime/pipeline/evaluate-model.js";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import type { IREvaluation } from "../../../src/ir/index.js";
import { sampleCandidates } from "../../../src/runtime/eval/sample-candidates.js";
import { Rng } from "../../../src/runtime/random.js";
import { nextIdModel } from "../../helpers/next-id-model.js";
import { useCpuBackend } from "../../helpers/tf.js";

beforeAll(useCpuBackend);

// Five items; item i scores −|i − (last + 1)|, so after history [1] the ranking is 2, then 1 and 3
// (tied), 4, 5: target 2 at rank 0, target 4 at rank 3.
const N = 5;
const T = 2;
const model = nextIdModel(N, T, -100);

const test = [{ user: 0, history: Int32Array.of(1), target: 2, targets: Int32Array.of(2, 4) }];
const data = {
  name: "toy",
  split: { train: [], validation: test, test },
  splitType: "ratio",
  history: T,
  numItems: N,
  trainCounts: Int32Array.from([0, 5, 4, 3, 2, 1]),
  coldItems: new Set<number>(),
  coldMask: new Uint8Array(N + 1),
} as unknown as PreparedData;

const evaluation: IREvaluation = {
  model: "m",
  dataset: "d",
  split: "test",
  metrics: [
    { metric: "recall", k: 1 },
    { metric: "recall", k: 4 },
    { metric: "ndcg", k: 3 },
    { metric: "hr", k: 1 },
    { metric: "mrr", k: null },
  ],
  slices: [{ type: "all" }],
  candidates: { type: "full" },
  exclude_history: false,
  baseline: false,
  baselines: null,
  bootstrap: 0,
};

describe("several targets per example", () => {
  it("full ranking: recall is hits / targets, NDCG over the ideal of two hits", async () => {
    const result = await evaluateModel(model, data, evaluation);
    const value = (m: string) => result.rows.find((r) => r.metric === m)!.value;
    expect(value("recall@1")).toBe(0.5);
    expect(value("recall@4")).toBe(1);
    // DCG@3 = 1 (target 2 first); IDCG@3 = 1 + 1/log2(3).
    expect(value("ndcg@3")).toBeCloseTo(1 / (1 + 1 / Math.log2(3)), 12);
    expect(value("hr@1")).toBe(1);
    expect(value("mrr")).toBe(1);
  });

  it("the early-stopping metric reads every target too", async () => {
    expect(await rankingMetric(model, test, "recall@1")).toBe(0.5);
    expect(await rankingMetric(model, test, "recall@4")).toBe(1);
  });

  it("sampled candidates hold every target first, and never sample one as a negative", () => {
    const [candidates] = sampleCandidates(test, data, 2, "uniform", false, new Rng(1));
    expect(Array.from(candidates.subarray(0, 2))).toEqual([2, 4]);
    expect(candidates.length).toBe(4);
    expect(new Set(candidates).size).toBe(4);
  });
});
