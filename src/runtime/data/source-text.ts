// Reading a data file as text for the readers. Takes a path; gives its text split into lines, or a
// DataFileError naming the file when it cannot be read (a DataError when it holds nothing but
// whitespace). Also turns a character offset into a 1-based line and column for errors found by
// offset (JSON).

import { readFile } from "node:fs/promises";
import { DataError, DataFileError } from "./data-error.js";

/** Reads a whole file; an unreadable or empty file is a DataError (never an empty data set). */
export async function readSourceText(path: string, encoding: BufferEncoding = "utf8"): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, encoding);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory, not a file" : code === "EACCES" ? "permission denied" : String((err as Error).message);
    throw new DataFileError(path, `cannot read file: ${why}`);
  }
  if (text.trim() === "") throw new DataError(path, undefined, "file is empty");
  // A byte-order mark is not part of the first field.
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
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
