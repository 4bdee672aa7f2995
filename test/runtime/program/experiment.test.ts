import { describe, expect, it } from "vitest";
import { cells, meanInterval, summarize, type CellResult, type ExperimentSpec } from "../../../src/runtime/program/experiment.js";

const experiment: ExperimentSpec = {
  name: "grid",
  vary: [
    { target: "synth.item_power", values: [0, 1], texts: ["0.0", "1.0"] },
    { target: "mur.weighting", values: [{ type: "none" }, { type: "idw" }, { type: "inverse_frequency" }], texts: ["none", "idw", "inverse_frequency"] },
  ],
  seeds: 3,
  report: [{ metric: "hr", k: 10, by: { type: "popularity", head: 0.2 } }],
};

describe("experiment grid", () => {
  it("is the cartesian product of the vary values, the last vary fastest", () => {
    const grid = cells(experiment);
    expect(grid).toHaveLength(6);
    expect(grid[0]).toEqual({ config: { item_power: "0.0", weighting: "none" }, sets: ["synth.item_power=0.0", "mur.weighting=none"] });
    expect(grid[1].config).toEqual({ item_power: "0.0", weighting: "idw" });
    expect(grid[5].sets).toEqual(["synth.item_power=1.0", "mur.weighting=inverse_frequency"]);
  });
});

describe("summary over seeds", () => {
  it("gives the mean and a Student-t 95% interval (hand-computed)", () => {
    // mean 2, s = 1, t(0.975, 2) = 4.303: half-width 4.303 / √3 = 2.4843.
    const r = meanInterval([1, 2, 3]);
    expect(r.mean).toBe(2);
    expect(r.high - r.mean).toBeCloseTo(4.303 / Math.sqrt(3), 10);
    expect(r.mean - r.low).toBeCloseTo(4.303 / Math.sqrt(3), 10);
    expect(Number.isNaN(meanInterval([5]).low)).toBe(true);
  });

  it("summarises each cell's report metric per slice over its seeds", () => {
    const grid = cells(experiment);
    const row = (slice: string, value: number) => ({ metric: "hr@10", slice, n: 10, value, low: 0, high: 0, baseline: null });
    const results: CellResult[] = [0, 1, 2].map((seed) => ({
      cell: grid[0],
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
          rows: [row("all", seed), row("head", 1), row("tail", 0.5)],
        },
      ],
    }));
    const rows = summarize(experiment, results);
    expect(rows.map((r) => [r.slice, r.mean, r.seeds])).toEqual([
      ["all", 1, 3],
      ["head", 1, 3],
      ["tail", 0.5, 3],
    ]);
    expect(rows[0].config).toEqual({ item_power: "0.0", weighting: "none" });
  });
});
