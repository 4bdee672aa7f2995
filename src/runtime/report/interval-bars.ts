// Grouped bars with confidence-interval whiskers, the shape both test-result charts share. Takes
// field names for the group (x) and the bar within a group (offset and colour) plus their orders;
// gives the vega-lite layer (bars, whiskers, caps) for one panel. Rows whose interval is missing
// (null bounds, as for coverage) keep their bar and just lose the whisker.
import { MODEL_COLORS } from "./chart-theme.js";

export interface IntervalBarsOptions {
  group: { field: string; title: string | null; order: string[] };
  bar: { field: string; title: string | null; order: string[]; colors?: string[] };
  /** Extra tooltip fields, shown before mean and interval. */
  tooltip?: { field: string; title?: string; type: "nominal" | "quantitative" }[];
  labelAngle?: number;
}

export function intervalBarsLayer(options: IntervalBarsOptions): Record<string, unknown>[] {
  const { group, bar } = options;
  const x = {
    field: group.field,
    type: "nominal",
    title: group.title,
    sort: group.order,
    axis: { labelAngle: options.labelAngle ?? 0, labelLimit: 320 },
  };
  const xOffset = { field: bar.field, type: "nominal", sort: bar.order };
  const colors = bar.colors ?? MODEL_COLORS;
  const color = {
    field: bar.field,
    type: "nominal",
    title: bar.title,
    sort: bar.order,
    scale: { domain: bar.order, range: bar.order.map((_, i) => colors[i % colors.length]) },
  };
  const tooltip = [
    { field: group.field, type: "nominal", title: group.title ?? group.field },
    { field: bar.field, type: "nominal", title: bar.title ?? bar.field },
    ...(options.tooltip ?? []),
    { field: "mean", type: "quantitative", format: ".4f" },
    { field: "low", type: "quantitative", format: ".4f" },
    { field: "high", type: "quantitative", format: ".4f" },
  ];
  // Whiskers run from lo to hi, which fall back to the mean where the interval is missing and are
  // then hidden. Filtering those rows out instead would leave a panel whose rows all lack an
  // interval (coverage) with an empty whisker extent, which vega warns about.
  const whiskerEnds = [
    { calculate: "isValid(datum.low) && isValid(datum.high)", as: "has_interval" },
    { calculate: "datum.has_interval ? datum.low : datum.mean", as: "lo" },
    { calculate: "datum.has_interval ? datum.high : datum.mean", as: "hi" },
  ];
  const shown = { condition: { test: "datum.has_interval", value: 1 }, value: 0 };
  return [
    {
      mark: { type: "bar", cornerRadiusEnd: 1 },
      encoding: { x, xOffset, color, y: { field: "mean", type: "quantitative", title: null }, tooltip },
    },
    {
      transform: whiskerEnds,
      mark: { type: "rule", color: "#222", strokeWidth: 1.2 },
      encoding: { x, xOffset, y: { field: "lo", type: "quantitative" }, y2: { field: "hi" }, opacity: shown, tooltip },
    },
    ...(["lo", "hi"] as const).map((end) => ({
      transform: whiskerEnds,
      mark: { type: "tick", color: "#222", thickness: 1.2, size: 7, orient: "horizontal" },
      encoding: { x, xOffset, y: { field: end, type: "quantitative" }, opacity: shown },
    })),
  ];
}
