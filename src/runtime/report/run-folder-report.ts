// The report of a finished run, rebuilt from its folder alone: run.json (spec, backend or PyTorch
// device, start time, status), each model's metrics.jsonl (learning curves), results.json (metrics
// with intervals, the baseline, paired differences) and ir.json (configuration tables). What a
// TypeScript run and a PyTorch package's run both leave, so `recspec report RUN` renders either.
// Takes the run folder and its record; gives the report's data.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { resultProtocol } from "../eval/protocol.js";
import { readRunIr, type RunManifest } from "../runs/manifest.js";
import { readMetrics } from "../train/metrics-log.js";
import type { MetricRecord, ReportData } from "./report-data.js";
import { reportRows, type ResultForReport } from "./result-rows.js";

interface StoredResult extends ResultForReport {
  readonly dataset: string;
  readonly split: string;
  readonly examples: number;
  readonly protocol: string;
  readonly excludeHistory: boolean;
  readonly splitType?: string;
  readonly baselineNames?: readonly string[];
}

export function runFolderReport(dir: string, spec: string, manifest: RunManifest | null): ReportData {
  const results = readStoredResults(dir);
  const metrics: MetricRecord[] = [];
  const notes: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const file = join(dir, entry.name, "metrics.jsonl");
    if (!entry.isDirectory() || !existsSync(file)) continue;
    const rows = readMetrics(file) as unknown as MetricRecord[];
    metrics.push(...rows);
    const train = rows.filter((m) => m.split === "train");
    if (train.length > 0) {
      const steps = Math.max(...train.map((m) => m.step));
      const epochs = new Set(train.map((m) => m.epoch)).size;
      notes.push(`${entry.name}: ${steps} steps, ${epochs} epoch${epochs === 1 ? "" : "s"}`);
    }
  }
  if (manifest?.target === "pytorch") {
    notes.unshift(`trained by the PyTorch package recspec ${manifest.recspec} generated: ${manifest.command ?? "train.py"}`);
  }
  if (manifest !== null && manifest.status !== "complete") notes.unshift(`the run is ${manifest.status}: its numbers may be partial`);
  if (results === null) notes.push("no results.json: the run has not been evaluated");
  return {
    title: `recspec — ${spec}`,
    spec,
    backend: backendOf(manifest),
    ...(manifest ? { createdAt: manifest.startedAt } : {}),
    metrics,
    results: reportRows(results ?? []),
    baselineName: results?.find((r) => r.baselineNames?.length)?.baselineNames?.[0],
    notes,
    evaluations: (results ?? []).map((r) => ({ model: r.model, dataset: r.dataset, split: r.split, users: r.examples, protocol: resultProtocol(r) })),
    config: readRunIr(dir) ?? undefined,
  };
}

/** `pytorch (cpu, torch 1.13.0, 2 processes)` or the TypeScript backend with its matmul. */
function backendOf(m: RunManifest | null): string {
  if (m === null) return "unknown (the run predates run records)";
  if (m.target !== "pytorch") return `${m.backend} (${m.matmul})`;
  const processes = m.processes ?? 1;
  return `pytorch (${m.device ?? m.matmul}, torch ${m.torch ?? "?"}, ${processes} process${processes === 1 ? "" : "es"})`;
}

function readStoredResults(dir: string): StoredResult[] | null {
  const file = join(dir, "results.json");
  if (!existsSync(file)) return null;
  const parsed = JSON.parse(readFileSync(file, "utf8")) as unknown;
  if (!Array.isArray(parsed)) throw new Error(`${file} is not a list of evaluation results`);
  return parsed as StoredResult[];
}
