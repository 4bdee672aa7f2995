// The sweep report. Takes a directory and a sweep's rows (configuration, metric, slice, mean and
// interval over seeds); writes `<dir>/report.html` atomically and gives its path. The page has the
// full table and, for each metric, grouped bars of every configuration by slice with intervals,
// self-contained like the run report (see html-page.ts).
import { mkdir } from "node:fs/promises";
import * as path from "node:path";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { ordered } from "./chart-theme.js";
import { escapeHtml } from "./escape.js";
import { experimentChartSpec } from "./experiment-chart.js";
import { experimentTable } from "./experiment-table.js";
import { chartSlot, renderPage, type PageChart } from "./html-page.js";
import type { ExperimentData } from "./report-data.js";
import { loadVegaBundles } from "./vega-bundles.js";
import { REPORT_FILE } from "./write-report.js";

export async function experimentReport(dir: string, data: ExperimentData): Promise<string> {
  const html = await renderExperimentReport(data);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, REPORT_FILE);
  writeFileAtomic(file, html);
  return file;
}

export async function renderExperimentReport(data: ExperimentData): Promise<string> {
  const charts = experimentCharts(data);
  const body: string[] = [`<h1>${escapeHtml(data.title)}</h1>`];
  const configs = new Set(data.rows.map((r) => JSON.stringify(r.config))).size;
  const facts: [string, string][] = [["configurations", String(configs)]];
  if (data.createdAt !== undefined) facts.push(["created", data.createdAt]);
  body.push(`<dl class="facts">${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")}</dl>`);
  if (data.notes !== undefined && data.notes.length > 0) {
    body.push("<h2>Notes</h2>", `<ul class="notes">${data.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("")}</ul>`);
  }
  body.push("<h2>Results</h2>");
  if (data.rows.length === 0) body.push('<p class="muted">No results were recorded.</p>');
  else body.push(`<div class="table-wrap">${experimentTable(data.rows)}</div>`);
  for (const chart of charts) body.push(chartSlot(chart.id));
  for (const [i, section] of (data.sections ?? []).entries()) {
    body.push(`<h2>${escapeHtml(section.title)}</h2>`, `<p>${escapeHtml(section.note)}</p>`);
    if (section.rows.length > 0) body.push(`<div class="table-wrap">${experimentTable(section.rows)}</div>`);
    for (const [j, spec] of section.charts.entries()) {
      charts.push({ id: `chart-section-${i}-${j}`, spec });
      body.push(chartSlot(`chart-section-${i}-${j}`));
    }
  }
  return renderPage({ title: data.title, body: body.join("\n"), charts }, await loadVegaBundles());
}

/** One chart per metric, in the order the rows first mention them. */
export function experimentCharts(data: ExperimentData): PageChart[] {
  return ordered(data.rows.map((r) => r.metric)).flatMap((metric, i) => {
    const spec = experimentChartSpec(data.rows, metric);
    return spec === null ? [] : [{ id: `chart-metric-${i}`, spec }];
  });
}
