// The test results as a plain HTML table, readable with scripts off and copyable into notes.
// Takes the evaluation rows and the baseline's label; gives a <table>: metric, slice, users, the
// model's mean [interval], the baseline's, and the difference of means with its paired bootstrap
// interval, marked when that interval excludes 0. Rows of older runs carry no paired interval: their
// difference is marked when the two marginal intervals do not overlap (a conservative sign).
import { escapeHtml } from "./escape.js";
import { formatInterval, isFiniteNumber } from "./format-interval.js";
import type { ReportEvalRow } from "./report-data.js";

export function resultsTable(results: ReportEvalRow[], baselineName = "popularity"): string {
  const models = new Set(results.map((r) => r.model));
  const several = models.size > 1;
  const withBaseline = results.some((r) => r.baseline !== undefined);
  const modelHeader = several ? "model result" : ([...models][0] ?? "model");
  const head = ["metric", "slice", ...(several ? ["model"] : []), "users", modelHeader, ...(withBaseline ? [baselineName, "difference"] : [])];
  const numeric = new Set(["users", modelHeader, baselineName, "difference"]);
  const headRow = head.map((h) => `<th${numeric.has(h) ? ' class="num"' : ""}>${escapeHtml(h)}</th>`).join("");
  const body = results.map((r) => {
    const cells = [
      `<td>${escapeHtml(r.metric)}</td>`,
      `<td>${escapeHtml(r.slice)}</td>`,
      ...(several ? [`<td>${escapeHtml(r.model)}</td>`] : []),
      `<td class="num">${isFiniteNumber(r.n) ? r.n : "–"}</td>`,
      `<td class="num">${formatInterval(r)}</td>`,
    ];
    if (withBaseline) {
      cells.push(`<td class="num">${r.baseline === undefined ? "–" : formatInterval(r.baseline)}</td>`);
      cells.push(differenceCell(r));
    }
    return `<tr>${cells.join("")}</tr>`;
  });
  return ['<table class="results">', `<thead><tr>${headRow}</tr></thead>`, `<tbody>\n${body.join("\n")}\n</tbody>`, "</table>"].join("\n");
}

function differenceCell(r: ReportEvalRow): string {
  const b = r.baseline;
  if (b === undefined || !isFiniteNumber(r.mean) || !isFiniteNumber(b.mean)) return '<td class="num">–</td>';
  const d = r.difference;
  if (d !== undefined && isFiniteNumber(d.mean) && isFiniteNumber(d.low) && isFiniteNumber(d.high)) {
    const mark = d.low > 0 ? "better" : d.high < 0 ? "worse" : "";
    const text = `${signed(d.mean)} [${signed(d.low)}, ${signed(d.high)}]`;
    const title = mark === "" ? "" : ` title="paired interval excludes 0: ${mark} than the baseline"`;
    return `<td class="num${mark === "" ? "" : ` ${mark}`}"${title}>${text}</td>`;
  }
  const diff = r.mean - b.mean;
  const text = signed(diff);
  const bounds = [r.low, r.high, b.low, b.high];
  let mark = "";
  if (bounds.every(isFiniteNumber)) {
    if (r.low > b.high) mark = "better";
    else if (r.high < b.low) mark = "worse";
  }
  const title = mark === "" ? "" : ` title="intervals do not overlap: ${mark} than the baseline"`;
  return `<td class="num${mark === "" ? "" : ` ${mark}`}"${title}>${text}</td>`;
}

function signed(v: number): string {
  return `${v >= 0 ? "+" : "−"}${Math.abs(v).toFixed(4)}`;
}
