// Chart (2): validation metrics against epochs. Takes metrics.jsonl records; gives a vega-lite spec
// with one small panel per metric name (each with its own y scale, since a loss and an ndcg@10 do
// not share a range), or null when nothing was validated. Accepts the split as "valid" or as
// "val", which is what the train loop writes. The log counts epochs from 0; the chart counts them
// from 1, as the console's progress lines and the "best … at epoch N" summary do.
import { chartConfig, MODEL_COLORS, ordered, type VegaLiteSpec } from "./chart-theme.js";
import { isFiniteNumber } from "./format-interval.js";
import type { MetricRecord } from "./report-data.js";

export function isValidation(record: MetricRecord): boolean {
  return record.split === "valid" || record.split === "val";
}

export function validationChartSpec(metrics: MetricRecord[]): VegaLiteSpec | null {
  const values = metrics
    .filter((m) => isValidation(m) && isFiniteNumber(m.value))
    .map((m) => ({ epoch: m.epoch + 1, step: m.step, name: m.name, value: m.value }));
  if (values.length === 0) return null;
  const names = ordered(values.map((v) => v.name));
  return {
    config: chartConfig,
    title: "Validation",
    data: { values },
    facet: { field: "name", type: "nominal", title: null, sort: names },
    columns: Math.min(names.length, 3),
    spec: {
      width: names.length === 1 ? 860 : 260,
      height: 180,
      mark: { type: "line", color: MODEL_COLORS[0], strokeWidth: 2, point: { size: 40, filled: true } },
      encoding: {
        x: { field: "epoch", type: "quantitative", title: "epoch", axis: { tickMinStep: 1, format: "d" } },
        y: { field: "value", type: "quantitative", title: null, scale: { zero: false } },
        tooltip: [
          { field: "name", type: "nominal", title: "metric" },
          { field: "epoch", type: "quantitative" },
          { field: "step", type: "quantitative" },
          { field: "value", type: "quantitative", format: ".4f" },
        ],
      },
    },
    resolve: { scale: { y: "independent" } },
  };
}
