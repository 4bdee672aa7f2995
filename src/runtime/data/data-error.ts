// The error types of the data module. Takes a file, an optional 1-based line and column and a
// message; gives a RunError (RS6001 bad data; DataFileError: RS6002, the file is missing or cannot
// be read) whose toString() reads like a compiler diagnostic (`file:line:col: message`), so a CLI
// can print it as is and a test can match on the parts. A reader may attach the offending line:
// the error keeps only a short printable window of it (printable.ts), never the whole line.
import type { RunCode } from "../errors/run-codes.js";
import { RunError, type RunErrorOptions } from "../errors/run-error.js";
import { excerpt, printable, type Excerpt } from "./printable.js";

export class DataError extends RunError {
  /** The file that could not be read or parsed, as the caller named it. */
  readonly file: string;
  /** 1-based line of the offending row, when the problem belongs to one. */
  readonly line?: number;
  /** 1-based character column within that line, when known. */
  readonly column?: number;
  /** A window of the offending line around the column, when the reader attached the line. */
  excerpt?: Excerpt;

  constructor(file: string, line: number | undefined, message: string, column?: number, code: RunCode = "RS6001", help?: string) {
    const options: RunErrorOptions = { context: { file, line, column } };
    if (help !== undefined) options.help = help;
    super(code, message, options);
    this.file = file;
    if (line !== undefined) this.line = line;
    if (column !== undefined) this.column = column;
    // Put the location into the stack header too, so an uncaught error still says where.
    if (this.stack) this.stack = this.stack.replace(/^[^\n]*/, `${this.name}: ${this.toString()}`);
  }

  /** Keeps a window of `lineText`, the text of this error's line (once; the first reader wins). */
  withLine(lineText: string): this {
    if (this.line !== undefined && this.excerpt === undefined) this.excerpt = excerpt(lineText, this.column);
    return this;
  }

  override toString(): string {
    let where = printable(this.file);
    if (this.line !== undefined) {
      where += `:${this.line}`;
      if (this.column !== undefined) where += `:${this.column}`;
    }
    return `${where}: ${this.message}`;
  }
}

/** A data file that is not there or cannot be read: a path to fix rather than a row. */
export class DataFileError extends DataError {
  constructor(file: string, message: string, help?: string) {
    super(file, undefined, message, undefined, "RS6002", help);
  }
}
