// The metric rules: every metric an `evaluate` lists, every entry of an experiment's `report` (which
// the runtime adds to each evaluation of the spec) and every `train { early_stop }` must be one the
// model's evaluator computes (metric-support.ts). Takes checked evaluations, experiments and blocks
// with the deriver's blocks; reports RS4011 at the metric as written, with the metrics that model
// can compute in the help.
import type { Body, Expr, Span } from "../ast.js";
import type { Label } from "../diagnostics/diagnostic.js";
import type { CheckedBlock, CheckedEvaluation, CheckedExperiment } from "./blocks.js";
import type { Deriver } from "./derive.js";
import { describeMetrics, evaluatorWords, isModelType, supportedMetrics, type MetricUse, type ModelType } from "./metric-support.js";
import type { ValueChecker } from "./values.js";

type MetricValue = { metric: string; k: number | null };

/** The kind of model a `model` or `distill` block evaluates as (a distill block as its student). */
export function evaluatedType(name: string, deriver: Deriver): ModelType | undefined {
  const block = deriver.blocks.get(name);
  if (!block) return undefined;
  if (block.kind === "distill") {
    const student = (block.attributes.student as { ref: string }).ref;
    return evaluatedType(student, deriver);
  }
  return isModelType(block.type) ? block.type : undefined;
}

/** The metrics of an `evaluate` block; false when one cannot be computed. */
export function checkEvaluationMetrics(e: CheckedEvaluation, deriver: Deriver, vc: ValueChecker): boolean {
  const type = evaluatedType(e.model, deriver);
  if (!type) return true;
  const metrics = e.attributes.metrics as readonly MetricValue[];
  const spans = listItemSpans(e.node.body, "metrics");
  let ok = true;
  metrics.forEach((m, i) => {
    if (supported(m, type, "evaluate")) return;
    ok = false;
    report(vc, e.file, spans[i] ?? e.node.model.span, m, e.model, type, "evaluate", []);
  });
  return ok;
}

/** An experiment's `report` entries, against every evaluation the spec runs. */
export function checkReportMetrics(x: CheckedExperiment, evaluations: readonly CheckedEvaluation[], deriver: Deriver, vc: ValueChecker): void {
  const entries = (x.attributes.report ?? []) as readonly MetricValue[];
  const spans = listItemSpans(x.node.body, "report");
  entries.forEach((m, i) => {
    const seen = new Set<string>();
    for (const e of evaluations) {
      const type = evaluatedType(e.model, deriver);
      if (!type || supported(m, type, "evaluate") || seen.has(e.model)) continue;
      seen.add(e.model);
      const labels: Label[] = [
        { file: e.file, span: e.node.model.span, message: `every evaluation computes the report's metrics; \`${e.model}\` is evaluated here` },
      ];
      report(vc, x.file, spans[i] ?? x.node.name.span, m, e.model, type, "evaluate", labels);
    }
  });
}

/** A model's or distill block's `train { early_stop = … }`. */
export function checkEarlyStop(block: CheckedBlock, deriver: Deriver, vc: ValueChecker): void {
  const stop = block.train?.early_stop as MetricValue | null | undefined;
  if (!stop) return;
  const type = evaluatedType(block.name, deriver);
  if (!type || supported(stop, type, "early_stop")) return;
  report(vc, block.file, earlyStopSpan(block.node.body) ?? block.node.name.span, stop, block.name, type, "early_stop", []);
}

function supported(m: MetricValue, type: ModelType, use: MetricUse): boolean {
  return supportedMetrics(type, use).includes(m.metric);
}

function report(vc: ValueChecker, file: string, span: Span, m: MetricValue, model: string, type: ModelType, use: MetricUse, labels: Label[]): void {
  const name = m.k === null ? m.metric : `${m.metric}@${m.k}`;
  const can = supportedMetrics(type, use);
  const notes = m.metric === "precision" ? ["with one held-out target per user, precision@K is hr@K / K"] : [];
  vc.report(
    "RS4011",
    file,
    span,
    { metric: name, model, what: evaluatorWords(type, use) },
    {
      labels,
      help: `${use === "early_stop" ? "early stopping" : `a \`${type}\` model`} can use ${describeMetrics(can)}`,
      notes,
    },
  );
}

/** Spans of the items of `name = [ … ]` in a body, in order (empty when the list is not written). */
function listItemSpans(body: Body | null, name: string): Span[] {
  const value = assigned(body, name);
  if (value?.kind !== "List") return [];
  // `ndcg@10 by popularity(…)`: the metric is the part at fault, not its slice.
  return value.items.map((item) => (item.kind === "By" ? item.value.span : item.span));
}

function earlyStopSpan(body: Body | null): Span | undefined {
  for (const item of body?.items ?? []) {
    if (item.kind === "NestedBlock" && item.name.name === "train") return assigned(item.body, "early_stop")?.span;
  }
  return undefined;
}

function assigned(body: Body | null, name: string): Expr | undefined {
  for (const item of body?.items ?? []) {
    if (item.kind === "Assignment" && item.target.parts.length === 1 && item.target.parts[0].name === name) return item.value;
  }
  return undefined;
}
