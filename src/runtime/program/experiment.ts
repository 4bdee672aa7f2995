// Experiments (`experiment NAME { vary …; seeds = …; report = […] }`): the grid of configurations,
// the evaluations each cell needs for its report, and the summary over seeds (mean and a Student-t
// 95% interval), as a table and as the rows of the sweep report. The driver that compiles each cell
// lives in the CLI; this module is the part that needs no compiler.
import { join } from "node:path";
import { writeFileAtomic } from "../fs/atomic-write.js";
import type { EvaluationResult } from "../pipeline/evaluate-model.js";
import { resultProtocol } from "../eval/protocol.js";
import { experimentReport } from "../report/index.js";
import { textTable } from "../report/text-table.js";
import type { ExperimentRow, ExperimentSection } from "../report/report-data.js";
import { clampToMetricRange } from "../report/metric-range.js";
import type { Run } from "./run.js";
import { gridConfigurations, type GridConfiguration } from "../../ir/experiment-grid.js";
import type { IRExperiment } from "../../ir/ir.js";

/** An IR experiment. */
export type ExperimentSpec = Pick<IRExperiment, "name" | "vary" | "seeds" | "report">;

/** A configuration of the grid: labels of its varied attributes and the overrides that make it. */
export type Cell = GridConfiguration;

/** Every combination of the `vary` values, in spec order (the last `vary` changes fastest). */
export function cells(experiment: ExperimentSpec): Cell[] {
  return gridConfigurations(experiment);
}

function sliceNames(by: Readonly<Record<string, unknown>> | null, results: readonly CellResult[]): string[] {
  if (by === null) return ["all"];
  if (by.type === "popularity") return ["all", "head", "tail"];
  // One slice per item cluster, as many as the evaluations found.
  if (by.type === "cluster")
    return ["all", ...new Set(results.flatMap((r) => r.results.flatMap((e) => e.rows.map((row) => row.slice).filter((n) => /^cluster\d+$/.test(n)))))];
  return [String(by.type)];
}

const metricLabel = (m: { metric: string; k: number | null }) => (m.k === null ? m.metric : `${m.metric}@${m.k}`);

/** A run for one cell and seed, in its own folder under the experiment's. */
export function cellRun(run: Run, experiment: string, index: number, seed: number): Run {
  // With --resume, a cell interrupted mid-training continues from its last complete checkpoint.
  return { ...run, dir: join(run.dir, "experiments", experiment, `cell-${String(index + 1).padStart(3, "0")}`, `seed-${seed}`) };
}

export interface CellResult {
  readonly cell: Cell;
  readonly seed: number;
  readonly results: EvaluationResult[];
}

/** Two-sided 97.5% quantiles of Student's t for 1–30 degrees of freedom; the normal one beyond. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069,
  2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** Mean and 95% interval over seeds: mean ± t(n−1) · s / √n (a single seed gives no interval). */
export function meanInterval(values: readonly number[]): { mean: number; low: number; high: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, low: Number.NaN, high: Number.NaN };
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
  const half = (T975[n - 2] ?? 1.96) * Math.sqrt(variance / n);
  return { mean, low: mean - half, high: mean + half };
}

/** One row per (cell, report metric, slice, model), summarised over the cell's seeds. */
export function summarize(experiment: ExperimentSpec, results: readonly CellResult[]): ExperimentRow[] {
  const rows: ExperimentRow[] = [];
  const grid = cells(experiment);
  for (const cell of grid) {
    const mine = results.filter((r) => r.cell.sets.join("\n") === cell.sets.join("\n"));
    for (const entry of experiment.report) {
      const metric = metricLabel(entry);
      for (const slice of sliceNames(entry.by, mine)) {
        const models = [...new Set(mine.flatMap((r) => r.results.map((e) => e.model)))];
        for (const model of models) {
          const found = mine.flatMap((r) =>
            r.results.filter((e) => e.model === model).flatMap((e) => e.rows.filter((row) => row.metric === metric && row.slice === slice)),
          );
          if (found.length === 0) continue;
          const config: Record<string, string | number> = models.length > 1 ? { ...cell.config, model } : { ...cell.config };
          // The baseline (popularity unless the evaluation lists another first) on the same seeds' users.
          const baseline = found.every((row) => row.baseline)
            ? { baseline: clampToMetricRange(metric, meanInterval(found.map((row) => row.baseline!.value))) }
            : {};
          rows.push({ config, metric, slice, seeds: found.length, ...clampToMetricRange(metric, meanInterval(found.map((row) => row.value))), ...baseline });
        }
      }
    }
  }
  return rows;
}

/** The summary as an aligned plain-text table. */
export function formatExperiment(name: string, rows: readonly ExperimentRow[]): string {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r.config)))];
  const withBaseline = rows.some((r) => r.baseline !== undefined);
  const header = [...keys, "metric", "slice", "seeds", "mean [95% interval]", ...(withBaseline ? ["baseline"] : [])];
  const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : "–");
  const interval = (v: { mean: number; low: number; high: number }) => `${fmt(v.mean)} [${fmt(v.low)}, ${fmt(v.high)}]`;
  const body = rows.map((r) => [
    ...keys.map((k) => (Object.hasOwn(r.config, k) ? String(r.config[k]) : "")),
    r.metric,
    r.slice,
    String(r.seeds),
    interval(r),
    ...(withBaseline ? [r.baseline ? interval(r.baseline) : "–"] : []),
  ]);
  return `experiment ${name}\n${textTable(header, body)}`;
}

/** results.json (every cell and seed) and report.html (table and plots) in the experiment's folder. */
export async function writeExperiment(
  run: Run,
  experiment: ExperimentSpec,
  results: readonly CellResult[],
  rows: ExperimentRow[],
  sections: ExperimentSection[] = [],
): Promise<string> {
  const dir = join(run.dir, "experiments", experiment.name);
  writeFileAtomic(join(dir, "results.json"), `${JSON.stringify({ experiment, summary: rows, cells: results }, null, 2)}\n`);
  return experimentReport(dir, {
    title: `recspec — ${run.spec}: experiment ${experiment.name}`,
    rows,
    createdAt: new Date(run.startedAt).toISOString(),
    notes: [
      `${cells(experiment).length} configurations × ${experiment.seeds} seeds; intervals: mean ± t(n−1)·s/√n over seeds (95%), clipped to the metric's range`,
      `backend: ${run.backend} (${run.matmul})`,
      // Each evaluation's protocol, once (the cells share it unless a `vary` changes it).
      ...new Set(results.flatMap((r) => r.results.map((e) => `${e.model} on ${e.dataset}.${e.split}: ${resultProtocol(e)}`))),
    ],
    sections,
  });
}
