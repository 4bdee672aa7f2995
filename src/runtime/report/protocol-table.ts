// How each evaluation of a run was made, as a plain HTML table above its results: model, split,
// users, the candidates ranked, whether the history was left out, and the data's split method.
// Takes the run's evaluations in report form; gives a <table>, or "" when there are none.
import { escapeHtml } from "./escape.js";
import type { ReportEvaluation } from "./report-data.js";

export function protocolTable(evaluations: readonly ReportEvaluation[]): string {
  if (evaluations.length === 0) return "";
  const head = ["model", "evaluated on", '<th class="num">users</th>', "protocol"].map((h) => (h.startsWith("<th") ? h : `<th>${h}</th>`)).join("");
  const body = evaluations.map(
    (e) =>
      `<tr><td>${escapeHtml(e.model)}</td><td>${escapeHtml(`${e.dataset}.${e.split}`)}</td><td class="num">${e.users}</td><td>${escapeHtml(e.protocol)}</td></tr>`,
  );
  return ['<table class="results protocol">', `<thead><tr>${head}</tr></thead>`, `<tbody>\n${body.join("\n")}\n</tbody>`, "</table>"].join("\n");
}
