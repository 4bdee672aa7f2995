// A sweep's results as a plain HTML table. Takes the sweep rows; gives a <table> with one column per
// configuration key (the union over rows, in first-seen order), then metric, slice, seeds,
// mean [interval] and, when the evaluations had one, the baseline's mean [interval] over the same
// seeds. Rows stay in the order given, which is the sweep's own.
import { ordered } from "./chart-theme.js";
import { escapeHtml } from "./escape.js";
import { formatInterval } from "./format-interval.js";
import type { ExperimentRow } from "./report-data.js";

export function experimentTable(rows: ExperimentRow[]): string {
  const keys = ordered(rows.flatMap((r) => Object.keys(r.config)));
  const withBaseline = rows.some((r) => r.baseline !== undefined);
  const head = [
    ...keys.map((k) => `<th>${escapeHtml(k)}</th>`),
    "<th>metric</th>",
    "<th>slice</th>",
    '<th class="num">seeds</th>',
    '<th class="num">mean [interval]</th>',
    ...(withBaseline ? ['<th class="num">baseline</th>'] : []),
  ].join("");
  const body = rows.map((r) => {
    const cells = [
      // Own keys only: a param called `constructor` is a column, not Object's member.
      ...keys.map((k) => `<td>${Object.hasOwn(r.config, k) ? escapeHtml(String(r.config[k])) : "–"}</td>`),
      `<td>${escapeHtml(r.metric)}</td>`,
      `<td>${escapeHtml(r.slice)}</td>`,
      `<td class="num">${r.seeds}</td>`,
      `<td class="num">${formatInterval(r)}</td>`,
      ...(withBaseline ? [`<td class="num">${r.baseline ? formatInterval(r.baseline) : "–"}</td>`] : []),
    ];
    return `<tr>${cells.join("")}</tr>`;
  });
  return ['<table class="results">', `<thead><tr>${head}</tr></thead>`, `<tbody>\n${body.join("\n")}\n</tbody>`, "</table>"].join("\n");
}
