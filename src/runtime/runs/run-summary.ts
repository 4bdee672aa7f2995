// One line's worth of facts about a run, for `recspec runs` and `recspec compare`: its status, the
// stage of its last attempt, how long it took, and its evaluation numbers (results.json: every
// model × metric on the `all` slice, plus the other slices for compare).
// Takes a listed run; gives the summary.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ListedRun } from "./list-runs.js";

export interface MetricValue {
  readonly model: string;
  readonly metric: string;
  readonly slice: string;
  readonly value: number;
}

export interface RunSummary {
  readonly id: string;
  readonly spec: string;
  readonly dir: string;
  readonly status: string;
  readonly stage: string;
  readonly startedAt: string;
  /** Seconds from the start to the end of the last attempt (to now while running); null when unknown. */
  readonly seconds: number | null;
  readonly backend: string | null;
  /** The code-generation target that trained the run: `typescript` unless its record says `pytorch`. */
  readonly target: "typescript" | "pytorch";
  readonly metrics: MetricValue[];
}

export function summarizeRun(run: ListedRun, spec: string, now = Date.now()): RunSummary {
  const m = run.manifest;
  const last = m?.attempts[m.attempts.length - 1];
  const end = last?.endedAt ? Date.parse(last.endedAt) : run.status === "running" ? now : null;
  return {
    id: run.id,
    spec,
    dir: run.dir,
    status: run.status,
    stage: last?.stage ?? m?.stage ?? "?",
    startedAt: new Date(run.startedAt).toISOString(),
    seconds: end === null ? null : Math.max(0, (end - run.startedAt) / 1000),
    backend: m?.backend ?? null,
    target: m?.target ?? "typescript",
    metrics: readResults(run.dir),
  };
}

export function readResults(dir: string): MetricValue[] {
  try {
    const results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as {
      model: string;
      rows: { metric: string; slice: string; value: number }[];
    }[];
    return results.flatMap((r) => r.rows.map((row) => ({ model: r.model, metric: row.metric, slice: row.slice, value: row.value })));
  } catch {
    return [];
  }
}

/** `seq hr@10=0.4133 ndcg@10=0.2010` from the `all` slice; "–" without results. */
export function metricsLine(metrics: readonly MetricValue[]): string {
  const all = metrics.filter((m) => m.slice === "all");
  if (all.length === 0) return "–";
  const models = [...new Set(all.map((m) => m.model))];
  return models
    .map(
      (model) =>
        `${models.length > 1 ? `${model} ` : ""}${all
          .filter((m) => m.model === model)
          .map((m) => `${m.metric}=${m.value.toFixed(4)}`)
          .join(" ")}`,
    )
    .join("; ");
}

export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return "–";
  if (seconds < 60) return `${seconds.toFixed(0)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}
