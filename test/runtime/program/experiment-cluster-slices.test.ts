// An experiment's `report = [hr@10 by cluster]`: the summary has one row per cluster slice the
// evaluations reported (cluster0, cluster1, …), beside "all", each averaged over the seeds.
import { describe, expect, it } from "vitest";
import { cells, summarize, type CellResult, type ExperimentSpec } from "../../../src/runtime/program/experiment.js";

const experiment: ExperimentSpec = {
  name: "skew",
  vary: [{ target: "users.interests", values: [1, 5], texts: ["1", "5"] }],
  seeds: 2,
  report: [{ metric: "hr", k: 10, by: { type: "cluster" } }],
};

describe("summary by cluster", () => {
  it("has a row for all and for each cluster slice found, means over seeds", () => {
    const grid = cells(experiment);
    const row = (slice: string, value: number) => ({ metric: "hr@10", slice, n: 10, value, low: 0, high: 0, baseline: null });
    const results: CellResult[] = [0, 1].map((seed) => ({
      cell: grid[1],
      seed,
      results: [
        {
          model: "mur",
          dataset: "synth",
          split: "test",
          candidates: "full",
          protocol: "",
          excludeHistory: false,
          examples: 10,
          rows: [row("all", 0.5 + seed / 10), row("head", 0.9), row("tail", 0.1), row("cluster0", 0.2 * seed), row("cluster1", 0.6), row("cluster2", 0.3)],
        },
      ],
    }));
    const rows = summarize(experiment, results);
    expect(rows.map((r) => [r.slice, r.mean])).toEqual([
      ["all", expect.closeTo(0.55, 12)],
      ["cluster0", expect.closeTo(0.1, 12)],
      ["cluster1", expect.closeTo(0.6, 12)],
      ["cluster2", expect.closeTo(0.3, 12)],
    ]);
    expect(rows.every((r) => r.config.interests === "5" && r.seeds === 2)).toBe(true);
  });
});
