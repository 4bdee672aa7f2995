// The error types of the data module. Takes a file, an optional 1-based line and column and a
// message; gives a RunError (RS6001 bad data; DataFileError: RS6002, the file is missing or cannot
// be read) whose toString() reads like a compiler diagnostic (`file:line:col: message`), so a CLI
// can print it as is and a test can match on the parts.
import type { RunCode } from "../errors/run-codes.js";
import { RunError } from "../errors/run-error.js";

export class DataError extends RunError {
  /** The file that could not be read or parsed, as the caller named it. */
  readonly file: string;
  /** 1-based line of the offending row, when the problem belongs to one. */
  readonly line?: number;
  /** 1-based character column within that line, when known. */
  readonly column?: number;

  constructor(file: string, line: number | undefined, message: string, column?: number, code: RunCode = "RS6001") {
    super(code, message, { context: { file, line, column } });
    this.file = file;
    if (line !== undefined) this.line = line;
    if (column !== undefined) this.column = column;
    // Put the location into the stack header too, so an uncaught error still says where.
    if (this.stack) this.stack = this.stack.replace(/^[^\n]*/, `${this.name}: ${this.toString()}`);
  }

  override toString(): string {
    let where = this.file;
    if (this.line !== undefined) {
      where += `:${this.line}`;
      if (this.column !== undefined) where += `:${this.column}`;
    }
    return `${where}: ${this.message}`;
  }
}

/** A data file that is not there or cannot be read: a path to fix rather than a row. */
export class DataFileError extends DataError {
  constructor(file: string, message: string) {
    super(file, undefined, message, undefined, "RS6002");
  }
}
