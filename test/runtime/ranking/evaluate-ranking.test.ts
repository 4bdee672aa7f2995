import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { RecModel } from "../../../src/runtime/models/rec-model.js";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import type { IREvaluation } from "../../../src/ir/index.js";
import { Rng } from "../../../src/runtime/random.js";
import { sampleCandidates } from "../../../src/runtime/eval/sample-candidates.js";
import { evaluateRanking, metricValue, parseRankingMetric, standing } from "../../../src/runtime/ranking/evaluate-ranking.js";
import { useCpuBackend } from "../../helpers/tf.js";
import { rankingData } from "./fixtures.js";

let data: PreparedData;
beforeAll(async () => {
  await useCpuBackend();
  data = await rankingData(0.1);
});

/** Every user scores item i as i: the higher the id, the better. */
function byIdModel(numItems: number): RecModel {
  return {
    name: "by_id",
    numItems,
    historyLength: 4,
    scoreItems: (_h: Int32Array, count: number) => tf.tile(tf.reshape(tf.range(0, numItems + 1, 1, "float32"), [1, numItems + 1]), [count, 1]) as tf.Tensor2D,
  } as unknown as RecModel;
}

const spec = (candidates: IREvaluation["candidates"]): IREvaluation => ({
  model: "m",
  dataset: "d",
  split: "test",
  metrics: [
    { metric: "auc", k: null },
    { metric: "ndcg", k: 10 },
    { metric: "mrr", k: null },
  ],
  slices: [{ type: "all" }, { type: "cold_start" }],
  candidates,
  exclude_history: false,
  baseline: true,
  baselines: null,
  bootstrap: 0,
});

describe("per-user ranking metrics", () => {
  it("counts candidates above and tied with the target (hand-worked)", () => {
    // Target 5 scores 0.5; item 1 is above, item 2 ties (lower id: ranked first), item 3 below.
    const st = standing(5, [5, 1, 2, 3], [0.5, 0.9, 0.5, 0.1]);
    expect(st).toEqual({ above: 1, tied: 1, tiedLower: 1, others: 3 });
    expect(metricValue(parseRankingMetric("auc"), st)).toBeCloseTo((3 - 1 - 0.5) / 3, 12);
    expect(metricValue(parseRankingMetric("ndcg@10"), st)).toBeCloseTo(1 / Math.log2(4), 12); // rank 2
    expect(metricValue(parseRankingMetric("ndcg@2"), st)).toBe(0);
    expect(metricValue(parseRankingMetric("hr@3"), st)).toBe(1);
    expect(metricValue(parseRankingMetric("mrr"), st)).toBeCloseTo(1 / 3, 12);
    expect(() => parseRankingMetric("coverage@10")).toThrow(/coverage/);
  });
});

describe("evaluateRanking", () => {
  it("full catalogue: AUC of target t under score = id is (t − 1) / (N − 1)", async () => {
    const N = data.numItems;
    const result = await evaluateRanking(byIdModel(N), data, spec({ type: "full" }));
    const test = data.split.test;
    const mean = (f: (t: number) => number) => test.reduce((s, e) => s + f(e.target), 0) / test.length;
    const auc = result.rows.find((r) => r.metric === "auc" && r.slice === "all")!;
    expect(auc.n).toBe(test.length);
    expect(auc.value).toBeCloseTo(
      mean((t) => (t - 1) / (N - 1)),
      10,
    );
    const ndcg = result.rows.find((r) => r.metric === "ndcg@10" && r.slice === "all")!;
    expect(ndcg.value).toBeCloseTo(
      mean((t) => (N - t < 10 ? 1 / Math.log2(N - t + 2) : 0)),
      10,
    );
    // The cold slice holds exactly the examples whose target is a cold item.
    const coldN = test.filter((e) => data.coldMask[e.target] === 1).length;
    expect(result.rows.find((r) => r.metric === "auc" && r.slice === "cold_start")!.n).toBe(coldN);
    // Popularity baseline: a cold target has count 0 and sits below every item with a count.
    const coldBase = result.rows.find((r) => r.metric === "auc" && r.slice === "cold_start")!.baseline!;
    expect(coldBase.value).toBeLessThan(0.2);
  });

  it("sampled: the target and distinct negatives, never the target or the pad; same metrics from the candidates", async () => {
    const test = data.split.test;
    const candidates = sampleCandidates(test, data, 20, "uniform", false, new Rng(0).fork("eval/candidates"));
    for (const [k, c] of candidates.entries()) {
      expect(c[0]).toBe(test[k].target);
      expect(new Set(c).size).toBe(21);
      expect(c.slice(1).includes(test[k].target)).toBe(false);
      expect(c.includes(0)).toBe(false);
    }
    const result = await evaluateRanking(byIdModel(data.numItems), data, spec({ type: "sampled", negatives: 20, sampling: "uniform" }));
    const expected = candidates.reduce((s, c) => s + Array.from(c.slice(1)).filter((i) => i < c[0]).length / 20, 0) / candidates.length;
    expect(result.rows.find((r) => r.metric === "auc" && r.slice === "all")!.value).toBeCloseTo(expected, 10);
    expect(result.protocol).toMatch(/target \+ 20 uniform-sampled negatives/);
  });
});
