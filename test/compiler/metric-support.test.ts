// The checker's metric table (src/compiler/check/metric-support.ts) against the runtime's
// evaluators: a metric is in the table for a model kind exactly when that kind's evaluator accepts
// it, so a spec the checker passes never stops in evaluation on its metric list.
import { describe, expect, it } from "vitest";
import { describeMetrics, supportedMetrics, type ModelType } from "../../src/compiler/check/metric-support.js";
import { METRICS } from "../../src/compiler/check/values.js";
import type { RecModel } from "../../src/runtime/models/rec-model.js";
import { parseMetricName } from "../../src/runtime/eval/metrics.js";
import { rankingMetric } from "../../src/runtime/pipeline/evaluate-model.js";
import { parseRankingMetric } from "../../src/runtime/ranking/evaluate-ranking.js";

/** Each metric as a spec writes it (with a cut-off where one is allowed). */
const written = Object.entries(METRICS).map(([name, k]) => ({ name, text: k === "no-k" ? name : `${name}@5` }));

const accepts = (f: () => unknown) => {
  try {
    f();
    return true;
  } catch {
    return false;
  }
};

describe("metric table", () => {
  it.each(["sequential", "two_tower", "generative"] as ModelType[])("lists what the top-K evaluator computes for %s", (type) => {
    for (const m of written) expect(supportedMetrics(type, "evaluate").includes(m.name), m.text).toBe(accepts(() => parseMetricName(m.text)));
  });

  it("lists what the candidate-standing evaluator computes for ranking", () => {
    for (const m of written) expect(supportedMetrics("ranking", "evaluate").includes(m.name), m.text).toBe(accepts(() => parseRankingMetric(m.text)));
  });

  it("lists what early stopping computes, besides the loss", async () => {
    const noModel = {} as RecModel;
    for (const m of written) {
      // No examples: the metric is parsed and refused or accepted before any ranking happens.
      const ok = await rankingMetric(noModel, [], m.text).then(
        () => true,
        () => false,
      );
      expect(supportedMetrics("sequential", "early_stop").includes(m.name), m.text).toBe(ok);
    }
    expect(supportedMetrics("ranking", "early_stop")).toContain("loss");
  });

  it("writes the help's metric list as a spec would", () => {
    expect(describeMetrics(["recall", "mrr", "auc", "loss"])).toBe("`recall@K`, `mrr`, `mrr@K`, `auc`, `loss`");
  });
});
