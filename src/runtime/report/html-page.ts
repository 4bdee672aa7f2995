// The page shell shared by the run and sweep reports. Takes a title, the body HTML and the chart
// specs; gives one self-contained HTML document: inline CSS, the vega/vega-lite/vega-embed
// bundles and the chart specs inlined as scripts, nothing fetched (no URLs, no web fonts), so
// the file can be mailed, archived, or opened offline years later and look the same.
//
// The body comes first and the scripts last: without JavaScript the tables, facts and notes still
// read as a normal page, and only the chart slots stay empty (with a <noscript> line saying why).
import type { VegaLiteSpec } from "./chart-theme.js";
import { codeForScript, escapeHtml, jsonForScript } from "./escape.js";
import type { VegaBundles } from "./vega-bundles.js";

export interface PageChart {
  /** Element id of the slot the chart renders into (see chartSlot). */
  id: string;
  spec: VegaLiteSpec;
}

export interface PageContent {
  title: string;
  body: string;
  charts: PageChart[];
}

/** Where a chart goes: an empty element the boot script fills, plus a no-script hint. */
export function chartSlot(id: string): string {
  return [
    `<figure class="chart" id="${escapeHtml(id)}">`,
    '<noscript><p class="muted">This chart needs JavaScript; the numbers are in the tables.</p></noscript>',
    "</figure>",
  ].join("\n");
}

const CSS = `
:root { color-scheme: light; --fg: #1f2328; --muted: #656d76; --line: #d8dee4; --soft: #f6f8fa;
  --good: #1a7f37; --bad: #cf222e; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
main { max-width: 960px; margin: 0 auto; padding: 32px 24px 64px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 40px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
.muted { color: var(--muted); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 16px 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
ul.notes { margin: 8px 0; padding-left: 20px; }
figure.chart { margin: 16px 0; overflow-x: auto; }
table.results { border-collapse: collapse; width: 100%; font-size: 14px; margin: 12px 0; }
table.results th, table.results td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left;
  white-space: nowrap; }
table.results thead th { background: var(--soft); font-weight: 600; border-bottom: 2px solid var(--line); }
table.results .num { text-align: right; font-variant-numeric: tabular-nums; }
table.results td.better { color: var(--good); font-weight: 600; }
table.results td.worse { color: var(--bad); font-weight: 600; }
.table-wrap { overflow-x: auto; }
details { margin: 12px 0; }
summary { cursor: pointer; color: var(--muted); }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 12px; overflow: auto;
  font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; max-height: 600px; }
.chart-error { color: var(--bad); }
@media print { figure.chart, table.results { break-inside: avoid; } }
`;

// Renders every chart into its slot. Actions are off: vega-embed's menu links to the online Vega
// editor, and the page promises to make no requests. SVG keeps charts sharp when zoomed or printed.
const BOOT = `
(function () {
  var specs = JSON.parse(document.getElementById("recspec-charts").textContent);
  Object.keys(specs).forEach(function (id) {
    var slot = document.getElementById(id);
    if (!slot) return;
    if (typeof vegaEmbed !== "function") { slot.textContent = "Charts unavailable: vega-embed did not load."; return; }
    vegaEmbed(slot, specs[id], { mode: "vega-lite", actions: false, renderer: "svg" }).catch(function (err) {
      var p = document.createElement("p");
      p.className = "chart-error";
      p.textContent = "Chart failed to render: " + (err && err.message ? err.message : err);
      slot.appendChild(p);
    });
  });
})();
`;

export function renderPage(content: PageContent, bundles: VegaBundles): string {
  const specs: Record<string, VegaLiteSpec> = {};
  for (const chart of content.charts) specs[chart.id] = chart.spec;
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Belt and braces: even a stray URL in a spec or library cannot reach the network.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:">`,
    `<title>${escapeHtml(content.title)}</title>`,
    `<style>${CSS}</style>`,
    "</head>",
    "<body>",
    "<main>",
    content.body,
    "</main>",
    `<script id="recspec-charts" type="application/json">${jsonForScript(specs)}</script>`,
    `<script>${codeForScript(bundles.vega)}</script>`,
    `<script>${codeForScript(bundles.vegaLite)}</script>`,
    `<script>${codeForScript(bundles.vegaEmbed)}</script>`,
    `<script>${BOOT}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
