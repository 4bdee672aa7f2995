// The evaluation protocol in words, the same wherever a result is shown (console table, report.html,
// results.json): which candidates were ranked, whether the user's history was left out, and the
// split the examples come from. Takes an IR `evaluate` entry and the data's catalogue size and split
// method; gives one line such as "full catalogue (12101 items), history excluded, leave_last_out split"
// (and, for a stored result, the line it carries, completed for results of older runs).
import type { IREvaluation } from "../../ir/index.js";

export interface ProtocolFacts {
  /** Real items in the catalogue (pad excluded). */
  numItems: number;
  /** The data set's split method: leave_last_out, temporal_window, ratio, random. */
  splitType: string;
}

/** The candidates ranked: the whole catalogue, or the target among sampled negatives. */
export function candidatesText(evaluation: Pick<IREvaluation, "candidates">, numItems: number): string {
  const c = evaluation.candidates;
  return c.type === "full" ? `full catalogue (${numItems} items)` : `sampled: target + ${c.negatives} ${c.sampling}-sampled negatives`;
}

/** Whether and where the user's history was left out: of the ranked list, or of the negatives. */
export function historyText(evaluation: Pick<IREvaluation, "candidates" | "exclude_history">): string {
  if (!evaluation.exclude_history) return "history kept";
  return evaluation.candidates.type === "full" ? "history excluded" : "history excluded from the negatives";
}

/** The whole protocol as one line. */
export function protocolText(evaluation: Pick<IREvaluation, "candidates" | "exclude_history">, facts: ProtocolFacts): string {
  return `${candidatesText(evaluation, facts.numItems)}, ${historyText(evaluation)}, ${facts.splitType} split`;
}

/** A stored result's protocol line; results of older runs said "history excluded" only when it was. */
export function resultProtocol(result: { protocol: string; excludeHistory: boolean; splitType?: string }): string {
  if (result.splitType !== undefined || result.protocol.includes("history")) return result.protocol;
  return `${result.protocol}, ${result.excludeHistory ? "history excluded" : "history kept"}`;
}
