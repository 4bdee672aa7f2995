// Experiment intervals kept inside the metric's range, and the baseline carried over seeds, checked
// against hand-computed values.
import { describe, expect, it } from "vitest";
import { clampToMetricRange, metricRange } from "../../../src/runtime/report/metric-range.js";
import { cells, formatExperiment, summarize, type CellResult, type ExperimentSpec } from "../../../src/runtime/program/experiment.js";
import { experimentTable } from "../../../src/runtime/report/experiment-table.js";

describe("metric range", () => {
  it("is [0, 1] for every share, with or without a cut-off, and open for a name it does not know", () => {
    expect(metricRange("ndcg@10")).toEqual([0, 1]);
    expect(metricRange("auc")).toEqual([0, 1]);
    expect(metricRange("mrr")).toEqual([0, 1]);
    expect(metricRange("loss")).toEqual([-Infinity, Infinity]);
  });

  it("clamps the bounds, not the mean, and leaves a missing interval missing", () => {
    expect(clampToMetricRange("hr@10", { mean: 0.01, low: -0.02, high: 0.04 })).toEqual({ mean: 0.01, low: 0, high: 0.04 });
    expect(clampToMetricRange("hr@10", { mean: 0.99, low: 0.97, high: 1.01 })).toEqual({ mean: 0.99, low: 0.97, high: 1 });
    const none = clampToMetricRange("hr@10", { mean: 0.5, low: NaN, high: NaN });
    expect(Number.isNaN(none.low) && Number.isNaN(none.high)).toBe(true);
    expect(clampToMetricRange("loss", { mean: 1, low: -3, high: 5 })).toEqual({ mean: 1, low: -3, high: 5 });
  });
});

describe("experiment summary", () => {
  const experiment: ExperimentSpec = {
    name: "x",
    vary: [{ target: "m.embedding", values: [8], texts: ["8"] }],
    seeds: 3,
    report: [{ metric: "hr", k: 10, by: null }],
  };
  // Model hr@10 per seed 0, 0, 0.03: mean .01, s = .017321, t(2) = 4.303 → half-width .043030: [−.0330, .0530] → [0, .0530].
  // Popularity per seed .01, .02, .03: mean .02, s = .01 → half-width .024843: [−.004843, .044843] → [0, .044843].
  const results: CellResult[] = [0, 0, 0.03].map((value, seed) => ({
    cell: cells(experiment)[0],
    seed,
    results: [
      {
        model: "m",
        dataset: "d",
        split: "test",
        candidates: "full",
        protocol: "",
        excludeHistory: true,
        examples: 10,
        rows: [{ metric: "hr@10", slice: "all", n: 10, value, low: 0, high: 0, baseline: { value: [0.01, 0.02, 0.03][seed], low: 0, high: 0 } }],
      },
    ],
  }));

  it("clamps the t-interval at 0 and carries the baseline's mean and interval over the same seeds", () => {
    const [row] = summarize(experiment, results);
    expect(row.mean).toBeCloseTo(0.01, 12);
    expect(row.low).toBe(0);
    expect(row.high).toBeCloseTo(0.01 + (4.303 * Math.sqrt(0.0003)) / Math.sqrt(3), 10);
    expect(row.baseline!.mean).toBeCloseTo(0.02, 12);
    expect(row.baseline!.low).toBe(0);
    expect(row.baseline!.high).toBeCloseTo(0.02 + (4.303 * 0.01) / Math.sqrt(3), 10);
  });

  it("shows the baseline in the console table and the report table", () => {
    const rows = summarize(experiment, results);
    expect(formatExperiment("x", rows)).toMatch(/0\.0100 \[0\.0000, 0\.0530\] +0\.0200 \[0\.0000, 0\.0448\]/);
    expect(experimentTable(rows)).toContain('<th class="num">baseline</th>');
    expect(experimentTable(rows)).toContain('<td class="num">0.0200 [0.0000, 0.0448]</td>');
  });
});
