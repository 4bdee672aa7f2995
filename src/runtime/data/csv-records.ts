// RFC 4180 record splitting for the CSV reader. Takes text and a one-character delimiter; gives
// records one by one, each field with the 1-based line and column where it starts, so errors can
// point at it. Quoted fields may hold delimiters, doubled quotes and line breaks; \r\n and \n both
// end a record; lines holding nothing are skipped.

import { DataError } from "./data-error.js";

export interface CsvRecord {
  readonly fields: string[];
  /** 1-based line of each field's first character. */
  readonly lines: number[];
  /** 1-based column of each field's first character. */
  readonly columns: number[];
}

export function* csvRecords(file: string, text: string, delimiter = ","): Generator<CsvRecord> {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
    throw new Error(`csvRecords: bad delimiter ${JSON.stringify(delimiter)}`);
  }
  const n = text.length;
  let i = 0;
  let line = 1;
  let lineStart = 0;
  while (i < n) {
    const fields: string[] = [];
    const lines: number[] = [];
    const columns: number[] = [];
    let endOfRecord = false;
    const firstQuoted = text[i] === '"';
    while (!endOfRecord) {
      lines.push(line);
      columns.push(i - lineStart + 1);
      if (text[i] === '"') {
        const openLine = line;
        const openColumn = i - lineStart + 1;
        let value = "";
        i++;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q === -1) throw new DataError(file, openLine, "quoted field is never closed", openColumn);
          const chunk = text.slice(i, q);
          for (let p = chunk.indexOf("\n"); p !== -1; p = chunk.indexOf("\n", p + 1)) {
            line++;
            lineStart = i + p + 1;
          }
          value += chunk;
          if (text[q + 1] === '"') {
            value += '"';
            i = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
        fields.push(value);
        const c = text[i];
        if (c === delimiter) i++;
        else if (c === undefined || c === "\n" || (c === "\r" && text[i + 1] === "\n")) endOfRecord = true;
        else throw new DataError(file, line, `unexpected ${JSON.stringify(c)} after a closing quote`, i - lineStart + 1);
      } else {
        let j = i;
        while (j < n && text[j] !== delimiter && text[j] !== "\n") j++;
        let end = j;
        if (text[j] !== delimiter && end > i && text[end - 1] === "\r") end--;
        fields.push(text.slice(i, end));
        if (text[j] === delimiter) i = j + 1;
        else {
          i = j;
          endOfRecord = true;
        }
      }
    }
    // Consume the record terminator.
    if (text[i] === "\r") i++;
    if (text[i] === "\n") {
      i++;
      line++;
      lineStart = i;
    }
    // A line of only whitespace is skipped; a lone quoted empty field ("") is data.
    if (fields.length === 1 && !firstQuoted && fields[0].trim() === "") continue;
    yield { fields, lines, columns };
  }
}
