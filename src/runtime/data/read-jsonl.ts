// Reader for interactions in JSON Lines: one object per line. Takes a path and the keys of the
// user, item and (optional) time fields; gives an InteractionStore (each user's items sorted by
// time, ties in file order) or a DataError naming file, line and column of the first bad line.
// Blank lines are skipped; other keys are ignored.

import { DataError } from "./data-error.js";
import { buildInteractions, type InteractionStore } from "./interactions.js";
import { locateJsonError } from "./json-locate.js";
import { RowCollector, type ColumnNames } from "./named-columns.js";
import { readSourceText, splitLines } from "./source-text.js";

export type JsonlOptions = ColumnNames;

export async function readInteractionsJsonl(path: string, options: JsonlOptions): Promise<InteractionStore> {
  const lines = splitLines(await readSourceText(path));
  const rows = new RowCollector(path, options);
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k];
    if (line.trim() === "") continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      const problem = locateJsonError(line) ?? { offset: 0, reason: "invalid JSON" };
      throw new DataError(path, k + 1, `invalid JSON: ${problem.reason}`, problem.offset + 1);
    }
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      throw new DataError(path, k + 1, "expected a JSON object per line");
    }
    const record = row as Record<string, unknown>;
    const at = { line: k + 1 };
    for (const key of [options.user, options.item, options.time]) {
      if (key !== undefined && !(key in record)) throw new DataError(path, k + 1, `missing key '${key}'`);
    }
    rows.add(record[options.user], at, record[options.item], at, options.time === undefined ? undefined : record[options.time], at);
  }
  return buildInteractions(rows.columns());
}
