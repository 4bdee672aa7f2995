// The metric rules: every metric an `evaluate` lists, every entry of an experiment's `report` (which
// the runtime adds to each evaluation of the spec) and every `train { early_stop }` must be one the
// model's evaluator computes (metric-support.ts). Takes checked evaluations, experiments and blocks
// with the deriver's blocks; reports RS4011 at the metric as written, with the metrics that model
// can compute in the help. A generative model ranks only the items its beams decode, so a cut-off
// past the beam width (or none, for `mrr`) is refused too.
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
  const width = type === "generative" ? decodedWidth(e.model, deriver) : undefined;
  metrics.forEach((m, i) => {
    const span = spans[i] ?? e.node.model.span;
    if (!supported(m, type, "evaluate")) {
      ok = false;
      report(vc, e.file, span, m, e.model, type, "evaluate", []);
    } else if (width !== undefined && (m.k === null || m.k > width)) {
      ok = false;
      reportPastWidth(vc, e.file, span, m, e.model, width);
    }
  });
  return ok;
}

/** Whether the evaluation of `model` can compute `m`: its kind's evaluator has it, and a generative model's cut-off is within its beam. */
export function computes(m: MetricValue, model: string, deriver: Deriver): boolean {
  const type = evaluatedType(model, deriver);
  if (!type) return true;
  const width = type === "generative" ? decodedWidth(model, deriver) : undefined;
  return supported(m, type, "evaluate") && (width === undefined || (m.k !== null && m.k <= width));
}

/** A generative model's beam width: it ranks only the items its beams decode. */
function decodedWidth(name: string, deriver: Deriver): number | undefined {
  const block = deriver.blocks.get(name);
  const decode = block?.attributes.decode as { width?: unknown } | undefined;
  return typeof decode?.width === "number" ? decode.width : undefined;
}

/** `recall@50` of a model that decodes 20 items: past the 20th the list's order means nothing. */
function reportPastWidth(vc: ValueChecker, file: string, span: Span, m: MetricValue, model: string, width: number, labels: Label[] = []): void {
  const name = m.k === null ? m.metric : `${m.metric}@${m.k}`;
  vc.report(
    "RS4011",
    file,
    span,
    { metric: name, model, what: `a \`generative\` model ranks only the ${width} items its beam search decodes` },
    {
      labels,
      help: m.k === null ? `write \`${m.metric}@${width}\` or less` : `use a cut-off of at most ${width}, or widen the beam: \`decode = beam(width: ${m.k})\``,
    },
  );
}

/** An experiment's `report` entries, against every evaluation the spec runs. */
export function checkReportMetrics(x: CheckedExperiment, evaluations: readonly CheckedEvaluation[], deriver: Deriver, vc: ValueChecker): void {
  const entries = (x.attributes.report ?? []) as readonly MetricValue[];
  const spans = listItemSpans(x.node.body, "report");
  entries.forEach((m, i) => {
    const seen = new Set<string>();
    for (const e of evaluations) {
      const type = evaluatedType(e.model, deriver);
      if (!type || seen.has(e.model)) continue;
      const width = type === "generative" ? decodedWidth(e.model, deriver) : undefined;
      const pastWidth = width !== undefined && (m.k === null || m.k > width);
      if (supported(m, type, "evaluate") && !pastWidth) continue;
      seen.add(e.model);
      const labels: Label[] = [
        { file: e.file, span: e.node.model.span, message: `every evaluation computes the report's metrics; \`${e.model}\` is evaluated here` },
      ];
      if (!supported(m, type, "evaluate")) report(vc, x.file, spans[i] ?? x.node.name.span, m, e.model, type, "evaluate", labels);
      else reportPastWidth(vc, x.file, spans[i] ?? x.node.name.span, m, e.model, width!, labels);
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
