// Shared look of the report charts. Takes nothing; gives the vega-lite spec type used here and a
// `config` block every chart carries, so charts match the page's CSS (system fonts only: a web font
// would be a network request) and compile the same in Node tests as in the browser.

/**
 * A vega-lite spec as plain JSON. vega-lite's own TopLevelSpec type is deliberately not used: the
 * specs are inlined as JSON anyway, and tests compile every one with vega-lite's compile().
 */
export type VegaLiteSpec = Record<string, unknown>;

export const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

/** Model first (strong), baseline second (muted), further models after. */
export const MODEL_COLORS = ["#3566b8", "#b0b7c3", "#d9822b", "#2e9e6b", "#8a5cc2", "#c2455c"];

export const chartConfig = {
  font: FONT,
  view: { stroke: "#e3e6ea" },
  axis: { labelColor: "#444", titleColor: "#222", gridColor: "#eef0f3", domainColor: "#999", tickColor: "#999" },
  header: { labelFontSize: 13, labelFontWeight: "bold", labelColor: "#222" },
  legend: { orient: "top", labelColor: "#333", titleColor: "#222" },
  title: { anchor: "start", fontSize: 14, fontWeight: "bold", color: "#222" },
} as const;

/** Distinct values in first-seen order: keeps slices and models in the order the data lists them. */
export function ordered<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}
