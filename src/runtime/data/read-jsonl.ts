// Reader for interactions in JSON Lines: one object per line. Takes a path and the keys of the
// user, item and (optional) time and rating fields; gives an InteractionStore (each user's items
// sorted by time, ties in file order) or a DataError naming file, line and column of the first bad line
// (the column of the offending value), with a window of that line. Blank lines are skipped; other keys are ignored. Only a row's own
// keys count (a key named `constructor` or `toString` is not "present" because every object
// inherits one). A key the store reads given twice in a row is a warning (JSON.parse keeps the last).
// An optional time key (ColumnNames.optionalTime) is read when the first object has it, and then
// every object must; without it each user's items keep file order.

import { DataError } from "./data-error.js";
import { buildInteractions, type InteractionStore } from "./interactions.js";
import { locateJsonError, topLevelKeys } from "./json-locate.js";
import { fileOrderWarning, resolveTime, RowCollector, type ColumnNames } from "./named-columns.js";
import { printable, quoted } from "./printable.js";
import { readSourceText, splitLines } from "./source-text.js";

export type JsonlOptions = ColumnNames;

/** Most duplicate-key warnings kept per file: one broken exporter repeats it on every line. */
const MAX_WARNINGS = 20;

export async function readInteractionsJsonl(path: string, options: JsonlOptions): Promise<InteractionStore> {
  const lines = splitLines(await readSourceText(path));
  let names: ColumnNames | undefined;
  let rows = new RowCollector(path, options);
  let keys: string[] = [];
  const warnings: string[] = [];
  let duplicateLines = 0;
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k];
    if (line.trim() === "") continue;
    try {
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
      if (names === undefined) {
        // The first object decides whether an optional time key is read at all.
        names = resolveTime(options, options.time !== undefined && Object.hasOwn(record, options.time));
        rows = new RowCollector(path, names);
        if (names.time !== options.time) warnings.push(fileOrderWarning(path, options.time!));
        keys = [names.user, names.item, ...[names.time, names.rating].filter((k): k is string => k !== undefined)];
      }
      // The column of a value is found only when it is bad: the getter runs when an error is built.
      const at = (key: string | undefined) => ({
        line: k + 1,
        get column() {
          return key === undefined ? undefined : valueColumn(line, key);
        },
      });
      for (const key of keys) {
        if (!Object.hasOwn(record, key)) throw new DataError(path, k + 1, `missing key ${quoted(key)}`);
      }
      if (keys.some((key) => repeated(line, key))) {
        const duplicate = duplicateKey(line, keys);
        if (duplicate !== undefined && duplicateLines++ < MAX_WARNINGS) {
          warnings.push(
            `${printable(path)}:${k + 1}:${duplicate.offset + 1}: key ${quoted(duplicate.key)} appears twice in the object; the last value is read`,
          );
        }
      }
      const { time, rating } = names;
      const value = (key: string | undefined) => (key === undefined ? undefined : record[key]);
      rows.add(record[names.user], at(names.user), record[names.item], at(names.item), value(time), at(time), value(rating), at(rating));
    } catch (err) {
      throw err instanceof DataError ? err.withLine(line) : err;
    }
  }
  if (duplicateLines > MAX_WARNINGS) warnings.push(`${printable(path)}: ${duplicateLines - MAX_WARNINGS} more lines repeat a key`);
  return buildInteractions(rows.columns(), { warnings });
}

/** Cheap pre-test: the quoted key occurs twice somewhere in the line. */
function repeated(line: string, key: string): boolean {
  const needle = JSON.stringify(key);
  const first = line.indexOf(needle);
  return first !== -1 && line.indexOf(needle, first + needle.length) !== -1;
}

/** The second occurrence of one of `keys` among the line's top-level keys. */
function duplicateKey(line: string, keys: readonly string[]): { key: string; offset: number } | undefined {
  const seen = new Set<string>();
  for (const { key, offset } of topLevelKeys(line)) {
    if (!keys.includes(key)) continue;
    if (seen.has(key)) return { key, offset };
    seen.add(key);
  }
  return undefined;
}

/** 1-based column of the value JSON.parse kept for `key` (the last one given) in a valid line. */
function valueColumn(line: string, key: string): number | undefined {
  const found = topLevelKeys(line).filter((k) => k.key === key);
  return found.length === 0 ? undefined : found[found.length - 1].valueOffset + 1;
}
