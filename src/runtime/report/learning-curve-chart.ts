// The learning curve: validation NDCG@10 against wall time, the budget a recipe is judged by.
// Takes metrics.jsonl records; gives the points (minutes since the model's first logged step) and
// a vega-lite spec, or null when no validation metric was logged. Without NDCG@10 (a model that
// stops on another metric) the first validation metric other than the loss is drawn instead.
// A run's models train one after another and each log starts again at step 1, so a step that does
// not grow starts a new model, whose clock starts at its own first record.
import { chartConfig, MODEL_COLORS, type VegaLiteSpec } from "./chart-theme.js";
import { isFiniteNumber } from "./format-interval.js";
import type { MetricRecord } from "./report-data.js";
import { isValidation } from "./validation-chart.js";

export interface CurvePoint {
  /** Minutes of wall time since the model's first logged training step. */
  minutes: number;
  /** 1-based, as the console counts. */
  epoch: number;
  value: number;
  /** Which model of the run, in training order: "model 1", "model 2", … */
  series: string;
}

/** The metric the curve draws: the NDCG@10 the validation logged (as "val_ndcg@10" or "ndcg@10"), else another non-loss one. */
export function curveMetric(metrics: MetricRecord[]): string | null {
  const names = [...new Set(metrics.filter((m) => isValidation(m) && isFiniteNumber(m.value)).map((m) => m.name))];
  return names.find((n) => n.endsWith("ndcg@10")) ?? names.find((n) => !n.endsWith("loss")) ?? null;
}

export function learningCurvePoints(metrics: MetricRecord[]): CurvePoint[] {
  const name = curveMetric(metrics);
  if (name === null) return [];
  const points: CurvePoint[] = [];
  let model = 0;
  let start = 0;
  let lastStep = Number.POSITIVE_INFINITY;
  for (const m of metrics) {
    if (m.split === "train") {
      if (m.step < lastStep) {
        model += 1;
        start = m.time;
      }
      lastStep = m.step;
      continue;
    }
    if (model === 0 || !isValidation(m) || m.name !== name || !isFiniteNumber(m.value)) continue;
    points.push({ minutes: (m.time - start) / 60_000, epoch: m.epoch + 1, value: m.value, series: `model ${model}` });
  }
  return points;
}

export function learningCurveChartSpec(metrics: MetricRecord[]): VegaLiteSpec | null {
  const values = learningCurvePoints(metrics);
  if (values.length === 0) return null;
  const name = curveMetric(metrics) as string;
  const several = new Set(values.map((v) => v.series)).size > 1;
  return {
    config: chartConfig,
    title: `Learning curve: validation ${name.replace(/^val_/, "")} against wall time`,
    data: { values },
    width: 860,
    height: 200,
    mark: { type: "line", strokeWidth: 2, point: { size: 40, filled: true }, ...(several ? {} : { color: MODEL_COLORS[0] }) },
    encoding: {
      x: { field: "minutes", type: "quantitative", title: "minutes of training (wall time)", scale: { zero: true } },
      y: { field: "value", type: "quantitative", title: name.replace(/^val_/, ""), scale: { zero: false } },
      ...(several ? { color: { field: "series", type: "nominal", title: null, scale: { range: [...MODEL_COLORS] } } } : {}),
      tooltip: [
        { field: "epoch", type: "quantitative" },
        { field: "minutes", type: "quantitative", format: ".1f" },
        { field: "value", type: "quantitative", format: ".4f" },
      ],
    },
  };
}
