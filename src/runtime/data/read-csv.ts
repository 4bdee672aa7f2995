// Reader for interactions in CSV with a header row. Takes a path and the names of the user, item
// and (optional) time and rating columns; gives an InteractionStore (each user's items sorted by
// time, ties in file order; file order when there is no time column, see ColumnNames) or a DataError naming file, line and column of the first bad row, with a window of
// that row. Fields may be quoted (RFC 4180); other columns are ignored. A column name the header
// holds twice is a warning on the store (the first such column is read).

import { DataError } from "./data-error.js";
import { buildInteractions, type InteractionStore } from "./interactions.js";
import { csvRecords } from "./csv-records.js";
import { fileOrderWarning, resolveTime, RowCollector, type ColumnNames } from "./named-columns.js";
import { printable, quoted, short } from "./printable.js";
import { readSourceText, withLines } from "./source-text.js";

export interface CsvOptions extends ColumnNames {
  /** Field separator, one character; default ",". */
  readonly delimiter?: string;
}

/** Most header names listed in a "no column named …" message. */
const LISTED_COLUMNS = 12;

export async function readInteractionsCsv(path: string, options: CsvOptions): Promise<InteractionStore> {
  const text = await readSourceText(path);
  return withLines(text, () => parseCsv(path, text, options));
}

function parseCsv(path: string, text: string, options: CsvOptions): InteractionStore {
  const records = csvRecords(path, text, options.delimiter ?? ",");
  const first = records.next();
  if (first.done) throw new DataError(path, undefined, "file is empty");
  const header = first.value.fields.map((f) => f.trim());
  const headerLine = first.value.lines[0];
  const warnings = duplicateColumns(path, header, first.value.lines, first.value.columns);
  const position = (name: string): number => {
    const at = header.indexOf(name);
    if (at === -1) {
      const listed = header
        .slice(0, LISTED_COLUMNS)
        .map((h) => short(h, 40))
        .join(", ");
      const more = header.length > LISTED_COLUMNS ? `, … (${header.length} in all)` : "";
      throw new DataError(path, headerLine, `no column named ${quoted(name)} in the header (columns: ${listed}${more})`);
    }
    return at;
  };
  const names = resolveTime(options, options.time !== undefined && header.includes(options.time));
  if (names.time !== options.time) warnings.push(fileOrderWarning(path, options.time!));
  const userCol = position(names.user);
  const itemCol = position(names.item);
  const timeCol = names.time === undefined ? -1 : position(names.time);
  const ratingCol = names.rating === undefined ? -1 : position(names.rating);

  const rows = new RowCollector(path, names);
  for (const record of records) {
    const { fields, lines, columns } = record;
    if (fields.length !== header.length) {
      throw new DataError(path, lines[0], `expected ${header.length} columns, found ${fields.length}`);
    }
    const at = (c: number) => ({ line: lines[c], column: columns[c] });
    const field = (c: number) => (c === -1 ? undefined : fields[c]);
    rows.add(fields[userCol], at(userCol), fields[itemCol], at(itemCol), field(timeCol), at(timeCol), field(ratingCol), at(ratingCol));
  }
  if (rows.size === 0) throw new DataError(path, headerLine, "header but no rows");
  return buildInteractions(rows.columns(), { warnings });
}

/** `file:line:col: column 'x' appears again …` for each repeated header name. */
function duplicateColumns(path: string, header: readonly string[], lines: readonly number[], columns: readonly number[]): string[] {
  const first = new Map<string, number>();
  const out: string[] = [];
  header.forEach((name, c) => {
    const seen = first.get(name);
    if (seen === undefined) first.set(name, c);
    else
      out.push(
        `${printable(path)}:${lines[c]}:${columns[c]}: column ${quoted(name)} appears again in the header (first as column ${seen + 1}); the first is read`,
      );
  });
  return out;
}
