// The report's result rows from a run's evaluation results (results.json as the TypeScript or the
// PyTorch evaluation writes it): one row per model × metric × slice with its interval, the first
// baseline beside it and the paired difference from it; baselines after the first as rows of their
// own, like further models. A missing bound (null in JSON, NaN in memory) reads as no interval.
// Takes the results; gives the rows.
import type { ReportEvalRow } from "./report-data.js";

/** The part of an evaluation result the report shows (pipeline/evaluate-model.ts EvaluationResult). */
export interface ResultForReport {
  readonly model: string;
  readonly rows: readonly {
    readonly metric: string;
    readonly slice: string;
    readonly n: number;
    readonly value: number | null;
    readonly low: number | null;
    readonly high: number | null;
    readonly baseline: { value: number | null; low: number | null; high: number | null } | null;
    readonly baselines?: readonly { name: string; value: number | null; low: number | null; high: number | null }[];
    readonly differences?: readonly { name: string; mean: number | null; low: number | null; high: number | null }[];
  }[];
}

export function reportRows(results: readonly ResultForReport[]): ReportEvalRow[] {
  const rows: ReportEvalRow[] = [];
  for (const r of results) {
    for (const row of r.rows) {
      const difference = row.baseline ? row.differences?.[0] : undefined;
      rows.push({
        metric: row.metric,
        slice: row.slice,
        model: r.model,
        n: row.n,
        mean: num(row.value),
        low: num(row.low),
        high: num(row.high),
        ...(row.baseline ? { baseline: { mean: num(row.baseline.value), low: num(row.baseline.low), high: num(row.baseline.high) } } : {}),
        ...(difference ? { difference: { mean: num(difference.mean), low: num(difference.low), high: num(difference.high) } } : {}),
      });
    }
  }
  for (const r of results) {
    for (const row of r.rows) {
      for (const b of (row.baselines ?? []).slice(1))
        rows.push({ metric: row.metric, slice: row.slice, model: b.name, n: row.n, mean: num(b.value), low: num(b.low), high: num(b.high) });
    }
  }
  return rows;
}

function num(x: number | null | undefined): number {
  return typeof x === "number" ? x : NaN;
}
