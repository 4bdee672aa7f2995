// An experiment's `report` when the spec leaves it out: the metrics of the spec's `evaluate` blocks
// (each once, in the order first listed, on all users) that every evaluated model can compute (a
// generative one within its beam width), so an experiment written without `report` tabulates what
// the spec evaluates instead of nothing.
// Takes a checked experiment, the checked evaluations and the deriver; fills `report` in place.
import type { CheckedEvaluation, CheckedExperiment } from "./blocks.js";
import type { Deriver } from "./derive.js";
import { computes } from "./metric-rules.js";

type MetricValue = { metric: string; k: number | null };

export function resolveReportDefault(x: CheckedExperiment, evaluations: readonly CheckedEvaluation[], deriver: Deriver): void {
  if (x.attributes.report !== null) return;
  const seen = new Set<string>();
  const report: { metric: string; k: number | null; by: null }[] = [];
  for (const e of evaluations) {
    for (const m of e.attributes.metrics as readonly MetricValue[]) {
      const key = `${m.metric}@${m.k}`;
      if (seen.has(key)) continue;
      seen.add(key);
      // The runtime adds each report metric to every evaluation, so each model must compute it.
      if (evaluations.every((other) => computes(m, other.model, deriver))) report.push({ metric: m.metric, k: m.k, by: null });
    }
  }
  x.attributes.report = report;
}
