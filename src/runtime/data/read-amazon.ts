// Reader for the Amazon-reviews sequential layout (S3-Rec, CIKM 2020). Takes a folder and a data
// set name; reads `<name>.txt` (one user per line: `user item item …`, items in time order, item
// ids positive integers) and, when present, `<name>_item2attributes.json` (`{"item": [attr, …]}`);
// gives an InteractionStore whose item indices equal the file's item ids when those run 1..N, or a
// DataError naming file, line and column of the first bad row, with a window of that row. An item
// listed twice in the attributes file is a warning on the store (JSON.parse keeps the last list).

import { join } from "node:path";
import { access } from "node:fs/promises";
import { DataError } from "./data-error.js";
import { buildInteractions, type InteractionStore } from "./interactions.js";
import { lineColumnAt, readSourceText, splitLines, withLines } from "./source-text.js";
import { printable, quoted } from "./printable.js";
import { locateJsonError, topLevelKeys } from "./json-locate.js";

const POSITIVE_INT = /^[1-9][0-9]*$/;

export async function readAmazon(dir: string, name: string): Promise<InteractionStore> {
  const seqPath = join(dir, `${name}.txt`);
  const attrPath = join(dir, `${name}_item2attributes.json`);
  const seqText = await readSourceText(seqPath);
  const columns = withLines(seqText, () => parseSequences(seqPath, seqText));
  // Items sorted by numeric id, so that index == id for the usual 1..N numbering.
  const itemIds = [...new Set(columns.items)].sort((a, b) => Number(a) - Number(b));
  const attrText = (await exists(attrPath)) ? await readSourceText(attrPath) : undefined;
  const attributes = attrText === undefined ? undefined : withLines(attrText, () => parseAttributes(attrPath, attrText));
  if (!attributes) return buildInteractions(columns, { itemIds });
  const warnings = repeatedItems(attrPath, attrText!);
  return buildInteractions(columns, { itemIds, attributes: attributes.byItem, attributeIds: attributes.order, warnings });
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

function parseSequences(file: string, text: string): { users: string[]; items: string[] } {
  const users: string[] = [];
  const items: string[] = [];
  const firstLine = new Map<string, number>();
  const lines = splitLines(text);
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k];
    if (line.trim() === "") continue;
    // Split fast; columns are worked out only when a row turns out to be bad.
    const tokens = line.trim().split(/\s+/);
    const column = (t: number) => tokensWithColumns(line)[t][1];
    const user = tokens[0];
    if (tokens.length < 2) throw new DataError(file, k + 1, `user ${quoted(user)} has no items (expected 'user item item …')`, column(0));
    const seen = firstLine.get(user);
    if (seen !== undefined) throw new DataError(file, k + 1, `user ${quoted(user)} appears again (first on line ${seen})`, column(0));
    firstLine.set(user, k + 1);
    for (let t = 1; t < tokens.length; t++) {
      const item = tokens[t];
      if (!POSITIVE_INT.test(item)) throw new DataError(file, k + 1, `expected a positive integer item id, found ${quoted(item)}`, column(t));
      users.push(user);
      items.push(item);
    }
  }
  return { users, items };
}

/** Whitespace-separated tokens with their 1-based columns. */
function tokensWithColumns(line: string): [string, number][] {
  const out: [string, number][] = [];
  const re = /\S+/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push([m[0], m.index + 1]);
  return out;
}

function parseAttributes(file: string, text: string): { byItem: Map<string, string[]>; order: string[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    const problem = locateJsonError(text) ?? { offset: 0, reason: "invalid JSON" };
    const at = lineColumnAt(text, problem.offset);
    throw new DataError(file, at.line, `invalid JSON: ${problem.reason}`, at.column);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new DataError(file, 1, 'expected an object {"item_id": [attribute_id, …]}', 1);
  }
  const byItem = new Map<string, string[]>();
  const all = new Set<string>();
  for (const [item, value] of Object.entries(doc)) {
    const ok = Array.isArray(value) && value.every((a) => (typeof a === "number" && Number.isInteger(a)) || (typeof a === "string" && a !== ""));
    if (!ok) {
      // Point at the key: the first place the offending entry can be found.
      const at = lineColumnAt(text, Math.max(0, text.indexOf(JSON.stringify(item))));
      throw new DataError(file, at.line, `attributes of item ${quoted(item)} must be a list of attribute ids`, at.column);
    }
    const list = (value as (number | string)[]).map(String);
    byItem.set(item, list);
    for (const a of list) all.add(a);
  }
  const order = [...all];
  if (order.every((a) => /^-?[0-9]+$/.test(a))) order.sort((a, b) => Number(a) - Number(b));
  return { byItem, order };
}

/** Most repeated-item warnings kept: one is enough to show the export is broken. */
const MAX_WARNINGS = 20;

/** `file:line:col: item 'x' is listed again …` for each repeated key of the attributes object. */
function repeatedItems(file: string, text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  let repeats = 0;
  for (const { key, offset } of topLevelKeys(text)) {
    if (!seen.has(key)) {
      seen.add(key);
      continue;
    }
    if (repeats++ >= MAX_WARNINGS) continue;
    const at = lineColumnAt(text, offset);
    out.push(`${printable(file)}:${at.line}:${at.column}: item ${quoted(key)} is listed again in the attributes; the last list is read`);
  }
  if (repeats > MAX_WARNINGS) out.push(`${printable(file)}: ${repeats - MAX_WARNINGS} more items are listed again`);
  return out;
}
