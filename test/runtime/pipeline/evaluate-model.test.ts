import { beforeAll, describe, expect, it } from "vitest";
import { evaluateModel, formatEvaluation, rankingMetric } from "../../../src/runtime/pipeline/evaluate-model.js";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import type { IREvaluation } from "../../../src/ir/index.js";
import { nextIdModel } from "../../helpers/next-id-model.js";
import { useCpuBackend } from "../../helpers/tf.js";

beforeAll(useCpuBackend);

// Five items; the model scores item i by −|i − (last + 1)|: it predicts "the next id". The pad
// column gets the highest score, so a ranker that forgot to exclude it would fail every check.
const N = 5;
const T = 3;
const fixedModel = nextIdModel(N, T, 100);

const ex = (history: number[], target: number, user: number) => ({ user, history: Int32Array.from(history), target });
// Rankings of the model: A [2,1,3,4,5] → rank 0; B [3,2,4,1,5] → 2; C [5,4,3,2,1] → 4; D [4,3,5,2,1] → 2.
const test = [ex([1], 2, 0), ex([2], 4, 1), ex([4], 1, 2), ex([3], 5, 3)];
const trainCounts = Int32Array.from([0, 5, 4, 3, 2, 1]); // popularity order 1, 2, 3, 4, 5
const data = {
  name: "toy",
  split: { train: [], validation: test, test },
  splitType: "leave_last_out",
  history: T,
  numItems: N,
  trainCounts,
  coldItems: new Set<number>(),
  coldMask: new Uint8Array(N + 1),
} as unknown as PreparedData;

function spec(overrides: Partial<IREvaluation> = {}): IREvaluation {
  return {
    model: "m",
    dataset: "d",
    split: "test",
    metrics: [
      { metric: "recall", k: 1 },
      { metric: "recall", k: 3 },
      { metric: "ndcg", k: 3 },
      { metric: "mrr", k: null },
    ],
    slices: [{ type: "all" }, { type: "popularity", head: 0.2 }],
    candidates: { type: "full" },
    exclude_history: false,
    baseline: true,
    baselines: null,
    bootstrap: 0,
    ...overrides,
  };
}

const value = (result: Awaited<ReturnType<typeof evaluateModel>>, metric: string, slice = "all") =>
  result.rows.find((r) => r.metric === metric && r.slice === slice)!;

describe("evaluateModel", () => {
  it("computes hand-checked metrics for the model and the popularity baseline", async () => {
    const result = await evaluateModel(fixedModel, data, spec());
    expect(result.candidates).toBe("full");
    expect(value(result, "recall@1").value).toBeCloseTo(0.25, 10);
    expect(value(result, "recall@3").value).toBeCloseTo(0.75, 10);
    expect(value(result, "ndcg@3").value).toBeCloseTo((1 + 0.5 + 0 + 0.5) / 4, 10);
    expect(value(result, "mrr").value).toBeCloseTo((1 + 1 / 3 + 1 / 5 + 1 / 3) / 4, 10);
    // Popularity lists [1,2,3,4,5]: target ranks A 1, B 3, C 0, D 4.
    expect(value(result, "recall@1").baseline!.value).toBeCloseTo(0.25, 10);
    expect(value(result, "recall@3").baseline!.value).toBeCloseTo(0.5, 10);
    expect(value(result, "ndcg@3").baseline!.value).toBeCloseTo((1 / Math.log2(3) + 1) / 4, 10);
    expect(value(result, "mrr").baseline!.value).toBeCloseTo((1 / 2 + 1 / 4 + 1 + 1 / 5) / 4, 10);
    expect(Number.isNaN(value(result, "mrr").low)).toBe(true);
  });

  it("slices users by their target's training popularity", async () => {
    const result = await evaluateModel(fixedModel, data, spec());
    // Head = the top 20% of 5 items = item 1: only user C.
    expect(value(result, "recall@3", "head")).toMatchObject({ n: 1, value: 0 });
    expect(value(result, "recall@3", "tail")).toMatchObject({ n: 3, value: 1 });
  });

  it("removes the history from the ranking when asked", async () => {
    const result = await evaluateModel(fixedModel, data, spec({ exclude_history: true }));
    // Without each history item: A [2,3,4,5] rank 0; B [3,4,1,5] rank 1; C [5,3,2,1] rank 3;
    // D [4,5,2,1] rank 1.
    expect(value(result, "ndcg@3").value).toBeCloseTo((1 + 1 / Math.log2(3) + 0 + 1 / Math.log2(3)) / 4, 10);
  });

  it("gives bootstrap intervals around the mean", async () => {
    const result = await evaluateModel(fixedModel, data, spec({ bootstrap: 200 }));
    const r = value(result, "recall@3");
    expect(r.low).toBeLessThanOrEqual(r.value);
    expect(r.high).toBeGreaterThanOrEqual(r.value);
    expect(r.high - r.low).toBeGreaterThan(0);
  });

  it("ranks against sampled negatives and says so", async () => {
    const result = await evaluateModel(fixedModel, data, spec({ candidates: { type: "sampled", negatives: 4, sampling: "uniform" } }));
    expect(result.candidates).toBe("sampled");
    expect(result.protocol).toMatch(/sampled/);
    // Four negatives out of four other items: the candidates are the whole catalogue again.
    expect(value(result, "ndcg@3").value).toBeCloseTo(0.5, 10);
    const few = await evaluateModel(fixedModel, data, spec({ candidates: { type: "sampled", negatives: 1, sampling: "popularity" } }));
    // Against one negative every target is in the top 2, so recall@3 is 1.
    expect(value(few, "recall@3").value).toBe(1);
  });

  it("passes the seen items to the model when ranking sampled candidates without the history", async () => {
    // A decoding model (TIGER's beam search) skips the items it is given; full ranking passes them,
    // and so must the sampled-candidate path.
    const received: (readonly ArrayLike<number>[] | undefined)[] = [];
    const recording = {
      ...fixedModel,
      scoreItems: (h: Int32Array, n: number, u?: Int32Array, seen?: readonly ArrayLike<number>[]) => (received.push(seen), fixedModel.scoreItems(h, n, u)),
    };
    await evaluateModel(recording, data, spec({ candidates: { type: "sampled", negatives: 2, sampling: "uniform" }, exclude_history: true }));
    expect(received).toHaveLength(1);
    expect(received[0]!.map((items) => Array.from(items))).toEqual(test.map((e) => Array.from(e.history)));
    received.length = 0;
    await evaluateModel(recording, data, spec({ candidates: { type: "sampled", negatives: 2, sampling: "uniform" } }));
    expect(received).toEqual([undefined]);
  });

  it("formats a table with the model, the baseline and n", async () => {
    const text = formatEvaluation(await evaluateModel(fixedModel, data, spec()));
    expect(text).toMatch(/^next-id on toy\.test: 4 users\nprotocol: full catalogue \(5 items\), history kept, leave_last_out split\n/);
    expect(text).toMatch(/recall@3\s+all\s+4\s+0\.7500\s+0\.5000/);
    expect(text).toMatch(/popularity/);
  });

  it("gives the validation metric the trainer stops on", async () => {
    expect(await rankingMetric(fixedModel, test, "ndcg@3")).toBeCloseTo(0.5, 10);
  });

  it("leaves each user's history out of the validation ranking when asked (as evaluation does)", async () => {
    // Without each history item: A [2,3,4,5] → rank 0; B [3,4,1,5] → 1; C [5,3,2,1] → 3; D [4,5,2,1] → 1.
    const ndcg = (1 + 1 / Math.log2(3) + 0 + 1 / Math.log2(3)) / 4;
    const exclude = test.map((e) => e.history);
    expect(await rankingMetric(fixedModel, test, "ndcg@3", 2, undefined, exclude)).toBeCloseTo(ndcg, 10);
  });
});
