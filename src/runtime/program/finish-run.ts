// The end of a run: results.json and the self-contained report.html in the run folder, built from
// each model's metrics.jsonl and the evaluation results, and a last line saying where they are;
// then the run is recorded complete (run.json) and unlocked.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { EvaluationResult } from "../pipeline/evaluate-model.js";
import { resultProtocol } from "../eval/protocol.js";
import { writeReport } from "../report/index.js";
import type { MetricRecord } from "../report/report-data.js";
import { reportRows } from "../report/result-rows.js";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { readRunIr } from "../runs/manifest.js";
import { readMetrics } from "../train/metrics-log.js";
import { endRun, type Run } from "./run.js";
import { trainingSummaries } from "./stages.js";
import { runWarnings } from "./run-warnings.js";

export async function finishRun(run: Run, results: EvaluationResult[]): Promise<void> {
  writeFileAtomic(join(run.dir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  const metrics: MetricRecord[] = [];
  for (const entry of readdirSync(run.dir, { withFileTypes: true })) {
    const file = join(run.dir, entry.name, "metrics.jsonl");
    if (entry.isDirectory() && existsSync(file)) metrics.push(...(readMetrics(file) as unknown as MetricRecord[]));
  }
  const rows = reportRows(results);
  const notes = [
    ...runWarnings(run).map((w) => `warning: ${w}`),
    ...[...trainingSummaries(run)].map(
      ([name, t]) =>
        `${name}: ${t.steps} steps, ${t.epochs} epochs, ${t.seconds.toFixed(0)} s${t.microBatches > 1 ? `, ${t.microBatches} micro-batches per step` : ""}`,
    ),
  ];
  const report = await writeReport(run.dir, {
    title: `recspec — ${run.spec}`,
    spec: run.spec,
    backend: `${run.backend} (${run.matmul})`,
    createdAt: new Date(run.startedAt).toISOString(),
    metrics,
    results: rows,
    baselineName: results.find((r) => r.baselineNames?.length)?.baselineNames?.[0],
    notes,
    evaluations: results.map((r) => ({ model: r.model, dataset: r.dataset, split: r.split, users: r.examples, protocol: resultProtocol(r) })),
    config: readRunIr(run.dir) ?? undefined,
  });
  run.log(`\nreport: ${report} (${((Date.now() - run.startedAt) / 1000).toFixed(0)} s in all)`);
  // The run's manifest says it is complete, and its folder is unlocked.
  endRun(run, "complete");
}
