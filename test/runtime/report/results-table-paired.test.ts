import { describe, expect, it } from "vitest";
import { resultsTable } from "../../../src/runtime/report/results-table.js";
import type { ReportEvalRow } from "../../../src/runtime/report/report-data.js";

const row = (difference?: ReportEvalRow["difference"]): ReportEvalRow => ({
  metric: "recall@10",
  slice: "all",
  model: "tt",
  n: 943,
  mean: 0.137,
  low: 0.117,
  high: 0.159,
  baseline: { mean: 0.108, low: 0.089, high: 0.129 },
  ...(difference ? { difference } : {}),
});

describe("resultsTable paired differences", () => {
  it("shows the paired interval and marks it when it excludes 0", () => {
    const html = resultsTable([row({ mean: 0.029, low: 0.012, high: 0.046 })], "item_knn");
    expect(html).toContain('<td class="num better" title="paired interval excludes 0: better than the baseline">+0.0290 [+0.0120, +0.0460]</td>');
  });

  it("leaves a paired interval that straddles 0 unmarked", () => {
    const html = resultsTable([row({ mean: 0.029, low: -0.002, high: 0.06 })], "item_knn");
    expect(html).toContain('<td class="num">+0.0290 [−0.0020, +0.0600]</td>');
  });

  it("falls back to the difference of means for rows without one (older runs)", () => {
    // The marginal intervals [.117, .159] and [.089, .129] overlap: no mark.
    expect(resultsTable([row()], "item_knn")).toContain('<td class="num">+0.0290</td>');
  });
});
