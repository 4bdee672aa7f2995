// The run report. Takes a run directory and what the run produced (metrics log, test results,
// spec, backend, IR, notes); writes `<runDir>/report.html` atomically and gives its path. The page
// holds the run facts, notes, each evaluation's protocol, three charts (training loss, validation
// metrics, test results by slice against the baseline), the results table, and the configuration
// (each block's resolved settings, then the whole IR), all inline (see html-page.ts).
// Nothing time- or machine-dependent is added, so the same data gives the same bytes.
import { mkdir } from "node:fs/promises";
import * as path from "node:path";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { escapeHtml } from "./escape.js";
import { chartSlot, renderPage, type PageChart } from "./html-page.js";
import { learningCurveChartSpec } from "./learning-curve-chart.js";
import { lossChartSpec } from "./loss-chart.js";
import type { ReportData } from "./report-data.js";
import { resultsTable } from "./results-table.js";
import { protocolTable } from "./protocol-table.js";
import { configTables } from "./config-table.js";
import { sliceResultsChartSpec } from "./slice-results-chart.js";
import { validationChartSpec } from "./validation-chart.js";
import { loadVegaBundles } from "./vega-bundles.js";

export const REPORT_FILE = "report.html";

export async function writeReport(runDir: string, data: ReportData): Promise<string> {
  const html = await renderReport(data);
  await mkdir(runDir, { recursive: true });
  const file = path.join(runDir, REPORT_FILE);
  writeFileAtomic(file, html);
  return file;
}

/** The report's HTML, without writing it. */
export async function renderReport(data: ReportData): Promise<string> {
  const charts = reportCharts(data);
  return renderPage({ title: data.title, body: reportBody(data, charts), charts }, await loadVegaBundles());
}

/** The chart specs, each left out when its data is absent. */
export function reportCharts(data: ReportData): PageChart[] {
  const candidates = [
    { id: "chart-loss", spec: lossChartSpec(data.metrics) },
    { id: "chart-validation", spec: validationChartSpec(data.metrics) },
    { id: "chart-learning-curve", spec: learningCurveChartSpec(data.metrics) },
    { id: "chart-test", spec: sliceResultsChartSpec(data.results, data.baselineName ?? "popularity") },
  ];
  return candidates.filter((c): c is PageChart => c.spec !== null);
}

function reportBody(data: ReportData, charts: PageChart[]): string {
  const has = (id: string) => charts.some((c) => c.id === id);
  const baselineName = data.baselineName ?? "popularity";
  const out: string[] = [`<h1>${escapeHtml(data.title)}</h1>`, facts(data)];
  if (data.notes !== undefined && data.notes.length > 0) {
    out.push("<h2>Notes</h2>", `<ul class="notes">${data.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("")}</ul>`);
  }
  out.push("<h2>Test results</h2>");
  // The protocol first: a number means little without what was ranked against what.
  if (data.evaluations !== undefined && data.evaluations.length > 0) out.push(`<div class="table-wrap">${protocolTable(data.evaluations)}</div>`);
  if (data.results.length === 0) out.push('<p class="muted">No test results were recorded.</p>');
  else out.push(`<div class="table-wrap">${resultsTable(data.results, baselineName)}</div>`);
  if (has("chart-test")) out.push(chartSlot("chart-test"));
  out.push("<h2>Training</h2>");
  if (has("chart-loss")) out.push(chartSlot("chart-loss"));
  else out.push('<p class="muted">No training loss was logged.</p>');
  if (has("chart-validation")) out.push(chartSlot("chart-validation"));
  else out.push('<p class="muted">No validation metrics were logged.</p>');
  if (has("chart-learning-curve")) out.push(chartSlot("chart-learning-curve"));
  if (data.config !== undefined) {
    out.push(
      "<h2>Configuration</h2>",
      '<p class="muted">Every setting as the compiler resolved it, defaults filled in.</p>',
      configTables(data.config),
      "<details><summary>Intermediate representation (IR)</summary>",
      `<pre>${escapeHtml(JSON.stringify(data.config, null, 2) ?? String(data.config))}</pre>`,
      "</details>",
    );
  }
  return out.join("\n");
}

function facts(data: ReportData): string {
  const rows: [string, string][] = [
    ["spec", data.spec],
    ["backend", data.backend],
  ];
  if (data.createdAt !== undefined) rows.push(["created", data.createdAt]);
  const train = data.metrics.filter((m) => m.split === "train");
  if (train.length > 0) {
    const steps = Math.max(...train.map((m) => m.step));
    const epochs = new Set(train.map((m) => m.epoch)).size;
    rows.push(["training", `${steps} steps over ${epochs} epoch${epochs === 1 ? "" : "s"}`]);
  }
  const items = rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("");
  return `<dl class="facts">${items}</dl>`;
}
