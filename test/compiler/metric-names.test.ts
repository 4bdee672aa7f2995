// Suggestions for unknown metric names: other libraries' names, swapped letters, near misses.
import { describe, expect, it } from "vitest";
import { metricHelp } from "../../src/compiler/check/metric-names.js";
import { METRICS } from "../../src/compiler/check/values.js";

describe("metric name help", () => {
  it("maps other libraries' names to recspec's, keeping the cut-off written", () => {
    expect(metricHelp("hitrate", METRICS, "10")).toBe("did you mean `hr@10`?");
    expect(metricHelp("HIT_RATIO", METRICS, "5")).toBe("did you mean `hr@5`?");
    // auc takes no cut-off, so none is suggested.
    expect(metricHelp("roc_auc", METRICS, "10")).toBe("did you mean `auc`?");
  });

  it("counts two swapped letters as one slip", () => {
    expect(metricHelp("ndgc", METRICS, "10")).toBe("did you mean `ndcg@10`?");
    expect(metricHelp("rceall", METRICS, "20")).toBe("did you mean `recall@20`?");
    expect(metricHelp("mmr", METRICS)).toBe("did you mean `mrr`?");
  });

  it("offers `loss` only where it is allowed, and nothing for a name far from all", () => {
    expect(metricHelp("los", METRICS)).toBeUndefined();
    expect(metricHelp("los", { ...METRICS, loss: "no-k" })).toBe("did you mean `loss`?");
    expect(metricHelp("perplexity", METRICS, "10")).toBeUndefined();
  });
});
