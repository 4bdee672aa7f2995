// Reader for interactions in CSV with a header row. Takes a path and the names of the user, item
// and (optional) time columns; gives an InteractionStore (each user's items sorted by time, ties in
// file order) or a DataError naming file, line and column of the first bad row. Fields may be
// quoted (RFC 4180); other columns are ignored.

import { DataError } from "./data-error.js";
import { buildInteractions, type InteractionStore } from "./interactions.js";
import { csvRecords } from "./csv-records.js";
import { RowCollector, type ColumnNames } from "./named-columns.js";
import { readSourceText } from "./source-text.js";

export interface CsvOptions extends ColumnNames {
  /** Field separator, one character; default ",". */
  readonly delimiter?: string;
}

export async function readInteractionsCsv(path: string, options: CsvOptions): Promise<InteractionStore> {
  const text = await readSourceText(path);
  const records = csvRecords(path, text, options.delimiter ?? ",");
  const first = records.next();
  if (first.done) throw new DataError(path, undefined, "file is empty");
  const header = first.value.fields.map((f) => f.trim());
  const headerLine = first.value.lines[0];
  const position = (name: string): number => {
    const at = header.indexOf(name);
    if (at === -1) throw new DataError(path, headerLine, `no column named '${name}' in the header (columns: ${header.join(", ")})`);
    return at;
  };
  const userCol = position(options.user);
  const itemCol = position(options.item);
  const timeCol = options.time === undefined ? -1 : position(options.time);

  const rows = new RowCollector(path, options);
  for (const record of records) {
    const { fields, lines, columns } = record;
    if (fields.length !== header.length) {
      throw new DataError(path, lines[0], `expected ${header.length} columns, found ${fields.length}`);
    }
    const at = (c: number) => ({ line: lines[c], column: columns[c] });
    if (timeCol === -1) rows.add(fields[userCol], at(userCol), fields[itemCol], at(itemCol));
    else rows.add(fields[userCol], at(userCol), fields[itemCol], at(itemCol), fields[timeCol], at(timeCol));
  }
  if (rows.size === 0) throw new DataError(path, headerLine, "header but no rows");
  return buildInteractions(rows.columns());
}
