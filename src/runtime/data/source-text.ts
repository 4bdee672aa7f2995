// Reading a data file as text for the readers. Takes a path; gives its text, or a DataFileError
// naming the file when it cannot be read (a DataError when it holds nothing but whitespace, a
// RunError RS6021 when it is too large to hold in memory). Line endings may be \n, \r\n or, in old
// Mac files, a lone \r: those are read as \n, so lines and columns count the same either way. A
// UTF-8 byte-order mark is dropped (and, for a file read as Latin-1, means the file is UTF-8).
// Also finds a line's text and turns a character offset into a 1-based line and column.

import { readFile, stat } from "node:fs/promises";
import { RunError } from "../errors/run-error.js";
import { DataError, DataFileError } from "./data-error.js";
import { checkDataFits, formatBytes, MAX_TEXT_CHARS } from "./memory-bound.js";

/** Heap bytes a reader needs per byte of file: the text, the split fields and the id columns (measured ≈ 5). */
export const READ_BYTES_PER_FILE_BYTE = 6;

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** Reads a whole file; an unreadable, empty or oversized file is an error (never an empty data set). */
export async function readSourceText(path: string, encoding: "utf8" | "latin1" = "utf8"): Promise<string> {
  let bytes: Buffer;
  try {
    const size = (await stat(path)).size;
    const tooLong = size > MAX_TEXT_CHARS ? ` (longer than the ${formatBytes(MAX_TEXT_CHARS)} a file can be read as text)` : "";
    checkDataFits(`${formatBytes(size)} of data${tooLong}`, tooLong ? Infinity : size * READ_BYTES_PER_FILE_BYTE, "use a smaller file, or a sample of it", {
      file: path,
    });
    bytes = await readFile(path);
  } catch (err) {
    if (err instanceof RunError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "is a directory, not a file"
          : code === "EACCES"
            ? "permission denied"
            : String((err as Error).message);
    throw new DataFileError(path, `cannot read file: ${why}`);
  }
  const bom = UTF8_BOM.every((b, k) => bytes[k] === b);
  const body = bom ? bytes.subarray(3) : bytes;
  // A UTF-8 mark on a Latin-1 file means it was saved as UTF-8: decoding it as Latin-1 would
  // garble every accented title and put "ï»¿" into the first id. Unless what follows the mark is
  // not valid UTF-8: then it is Latin-1 after all, with a stray mark in front.
  let text = body.toString(bom ? "utf8" : encoding);
  if (bom && encoding === "latin1" && text.includes("\ufffd")) text = body.toString("latin1");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === "") throw new DataError(path, undefined, "file is empty");
  return crOnlyToLf(text);
}

/**
 * Text whose lines end in a lone \r (classic Mac OS) with \n in their place; other text unchanged.
 * Only text with no \n at all counts as CR-only, so a \r inside a field of an LF file stays.
 */
export function crOnlyToLf(text: string): string {
  if (text.indexOf("\r") === -1 || text.indexOf("\n") !== -1) return text;
  return text.replace(/\r/g, "\n");
}

/** Lines without their terminators (\n or \r\n); line k (1-based) is lines[k - 1]. */
export function splitLines(text: string): string[] {
  const lines = text.split("\n");
  for (let k = 0; k < lines.length; k++) {
    const s = lines[k];
    if (s.endsWith("\r")) lines[k] = s.slice(0, -1);
  }
  return lines;
}

/** The text of 1-based line `line` without its terminator ("" past the end). */
export function lineText(text: string, line: number): string {
  let start = 0;
  for (let k = 1; k < line; k++) {
    const p = text.indexOf("\n", start);
    if (p === -1) return "";
    start = p + 1;
  }
  const end = text.indexOf("\n", start);
  const s = text.slice(start, end === -1 ? text.length : end);
  return s.endsWith("\r") ? s.slice(0, -1) : s;
}

/** Runs a parser over `text`; a DataError it throws gets a window of its line attached. */
export function withLines<T>(text: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof DataError && err.line !== undefined && err.excerpt === undefined) err.withLine(lineText(text, err.line));
    throw err;
  }
}

/** 1-based line and column of a character offset into text. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let p = text.indexOf("\n"); p !== -1 && p < offset; p = text.indexOf("\n", p + 1)) {
    line++;
    lineStart = p + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
