// Recommendations as text, one user at a time so a long list streams. Takes a user's entry
// (recommend-items.ts); gives its lines. JSON Lines: one object per user —
// {"user","model","items":[{"item","score"[,"semanticId"]}]} or {"user","error":{"code","message"}}.
// CSV: a header, then one row per recommended item — user,rank,item,score[,semantic_id] with the
// rank from 1 and the Semantic ID's codes joined by "-"; unknown users give no row.
import { isUnknownUser, type UserRecommendation } from "./recommend-items.js";

export type RecommendationFormat = "jsonl" | "csv";

export function jsonLine(entry: UserRecommendation): string {
  return `${JSON.stringify(entry)}\n`;
}

export function csvHeader(generative: boolean): string {
  return `user,rank,item,score${generative ? ",semantic_id" : ""}\n`;
}

export function csvRows(entry: UserRecommendation): string {
  if (isUnknownUser(entry)) return "";
  return entry.items
    .map((it, r) => [entry.user, String(r + 1), it.item, String(it.score), ...(it.semanticId ? [it.semanticId.join("-")] : [])].map(csvField).join(",") + "\n")
    .join("");
}

/** RFC 4180: a field holding a comma, quote or line break is quoted, its quotes doubled. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
