import { beforeAll, describe, expect, it } from "vitest";
import { pairedDifference } from "../../../src/runtime/eval/paired-difference.js";
import { evaluateModel, formatEvaluation } from "../../../src/runtime/pipeline/evaluate-model.js";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import type { IREvaluation } from "../../../src/ir/index.js";
import { nextIdModel } from "../../helpers/next-id-model.js";
import { useCpuBackend } from "../../helpers/tf.js";

beforeAll(useCpuBackend);

// The toy model and data of evaluate-model.test.ts: five items, the "next id" model, the pad
// column scored highest.
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

const row = (result: Awaited<ReturnType<typeof evaluateModel>>, metric: string, slice = "all") =>
  result.rows.find((r) => r.metric === metric && r.slice === slice)!;

describe("evaluateModel paired differences", () => {
  it("gives model − baseline per metric, hand-checked", async () => {
    const result = await evaluateModel(fixedModel, data, spec());
    // Model ranks A 0, B 2, C 4, D 2; popularity ranks A 1, B 3, C 0, D 4.
    // recall@3: model [1,1,0,1], popularity [1,0,1,0] → differences [0,1,−1,1], mean .25.
    const d = row(result, "recall@3").differences!;
    expect(d.map((x) => x.name)).toEqual(["popularity"]);
    expect(d[0].mean).toBeCloseTo(0.25, 12);
    // Without bootstrap resamples there is no interval.
    expect(Number.isNaN(d[0].low) && Number.isNaN(d[0].high)).toBe(true);
    const mrr = row(result, "mrr").differences![0].mean;
    expect(mrr).toBeCloseTo((1 + 1 / 3 + 1 / 5 + 1 / 3 - (1 / 2 + 1 / 4 + 1 + 1 / 5)) / 4, 12);
    // Head = user C alone: 0 − 1.
    expect(row(result, "recall@3", "head").differences![0].mean).toBeCloseTo(-1, 12);
  });

  it("draws the difference's resamples from the same users as the marginal intervals", async () => {
    const result = await evaluateModel(fixedModel, data, spec({ bootstrap: 200 }));
    const d = row(result, "recall@3").differences![0];
    const expected = pairedDifference([1, 1, 0, 1], [1, 0, 1, 0], [1, 1, 1, 1], "all", { resamples: 200, seed: 0 });
    expect(d).toEqual({ name: "popularity", mean: expected.mean, low: expected.low, high: expected.high });
    expect(d.low).toBeLessThan(d.mean);
    expect(d.high).toBeGreaterThan(d.mean);
  });

  it("prints the differences under the table", async () => {
    const text = formatEvaluation(await evaluateModel(fixedModel, data, spec({ slices: [{ type: "all" }] })));
    expect(text).toContain("paired differences (model − baseline, same bootstrap resamples):\nnext-id − popularity: recall@1 +.0000, recall@3 +.2500,");
  });
});
