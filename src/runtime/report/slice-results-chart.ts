// Chart (3): test metrics by user slice. Takes the evaluation rows; gives a vega-lite spec with one
// panel per metric, slices along x, the model's bar beside the baseline's, each with its
// confidence interval, or null when there are no results.
import { chartConfig, ordered, type VegaLiteSpec } from "./chart-theme.js";
import { intervalBarsLayer } from "./interval-bars.js";
import { isFiniteNumber } from "./format-interval.js";
import type { ReportEvalRow } from "./report-data.js";

export interface SliceBar {
  metric: string;
  slice: string;
  model: string;
  mean: number | null;
  low: number | null;
  high: number | null;
  n: number;
}

/** Long format: one bar per (metric, slice, model), the baseline once per (metric, slice). */
export function sliceBars(results: ReportEvalRow[], baselineName: string): SliceBar[] {
  const bars: SliceBar[] = [];
  const baselineSeen = new Set<string>();
  const num = (x: number) => (isFiniteNumber(x) ? x : null);
  for (const r of results) {
    bars.push({ metric: r.metric, slice: r.slice, model: r.model, mean: num(r.mean), low: num(r.low), high: num(r.high), n: r.n });
    const key = `${r.metric}\u0000${r.slice}`;
    if (r.baseline !== undefined && !baselineSeen.has(key)) {
      baselineSeen.add(key);
      const b = r.baseline;
      bars.push({ metric: r.metric, slice: r.slice, model: baselineName, mean: num(b.mean), low: num(b.low), high: num(b.high), n: r.n });
    }
  }
  return bars;
}

export function sliceResultsChartSpec(results: ReportEvalRow[], baselineName = "popularity"): VegaLiteSpec | null {
  const values = sliceBars(results, baselineName);
  if (values.length === 0) return null;
  const metrics = ordered(values.map((v) => v.metric));
  // Models in data order with the baseline second, so it always gets the muted second colour.
  const models = ordered(results.map((r) => r.model)).filter((m) => m !== baselineName);
  if (values.some((v) => v.model === baselineName)) models.splice(1, 0, baselineName);
  return {
    config: chartConfig,
    title: "Test results by slice, with confidence intervals",
    data: { values },
    facet: { field: "metric", type: "nominal", title: null, sort: metrics },
    columns: Math.min(metrics.length, 3),
    spec: {
      width: 250,
      height: 190,
      layer: intervalBarsLayer({
        group: { field: "slice", title: null, order: ordered(values.map((v) => v.slice)) },
        bar: { field: "model", title: null, order: models },
        tooltip: [
          { field: "metric", type: "nominal" },
          { field: "n", type: "quantitative", title: "users" },
        ],
      }),
    },
    // Own y per metric (ranges differ), own x too so a metric evaluated on fewer slices
    // (coverage: "all" only) is not drawn with empty slots for the others. xOffset must follow x:
    // a shared offset scale beside independent x bands collapses every bar to a sliver.
    resolve: { scale: { x: "independent", xOffset: "independent", y: "independent" } },
  };
}
