// Sweep chart: one metric across configurations. Takes the sweep's rows and a metric name; gives a
// vega-lite spec with configurations along x and one bar per slice in each group, each with its
// interval over seeds, or null when the metric has no rows.
import { chartConfig, ordered, type VegaLiteSpec } from "./chart-theme.js";
import { configLabel } from "./config-label.js";
import { intervalBarsLayer } from "./interval-bars.js";
import { isFiniteNumber } from "./format-interval.js";
import type { ExperimentRow } from "./report-data.js";

/** Slice colours: a sequence distinct from the model/baseline pair of the run report. */
const SLICE_COLORS = ["#3566b8", "#d9822b", "#2e9e6b", "#8a5cc2", "#c2455c", "#6b7280"];

export function experimentChartSpec(rows: ExperimentRow[], metric: string): VegaLiteSpec | null {
  const num = (x: number) => (isFiniteNumber(x) ? x : null);
  // A key with one value in every row (a `vary` over a single value) tells the groups nothing.
  const keys = ordered(rows.flatMap((r) => Object.keys(r.config)));
  // Own keys only: a param called `constructor` or `toString` is a label, not Object's member.
  const varying = keys.filter((k) => new Set(rows.map((r) => (Object.hasOwn(r.config, k) ? String(r.config[k]) : undefined))).size > 1);
  const label = (config: ExperimentRow["config"]) =>
    configLabel(Object.fromEntries(varying.filter((k) => Object.hasOwn(config, k)).map((k) => [k, config[k]])));
  const values = rows
    .filter((r) => r.metric === metric)
    .map((r) => ({
      config: label(r.config),
      slice: r.slice,
      mean: num(r.mean),
      low: num(r.low),
      high: num(r.high),
      seeds: r.seeds,
    }));
  if (values.length === 0) return null;
  const configs = ordered(values.map((v) => v.config));
  const slices = ordered(values.map((v) => v.slice));
  const longest = Math.max(...configs.map((c) => c.length));
  return {
    config: chartConfig,
    title: `${metric} by configuration (intervals over seeds)`,
    data: { values },
    // Wide enough for every group, at least the page's width for a handful of configurations.
    width: Math.max(860, configs.length * Math.max(40, slices.length * 22)),
    height: 220,
    layer: intervalBarsLayer({
      group: { field: "config", title: null, order: configs },
      bar: { field: "slice", title: "slice", order: slices, colors: SLICE_COLORS },
      tooltip: [{ field: "seeds", type: "quantitative" }],
      // Long labels such as "dim=64 lr=0.01 dropout=0.1" overlap when level.
      labelAngle: longest > 14 && configs.length > 3 ? -30 : 0,
    }),
  };
}
