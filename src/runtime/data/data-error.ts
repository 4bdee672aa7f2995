// The one error type of the data module. Takes a file, an optional 1-based line and column and a
// message; gives an Error whose toString() reads like a compiler diagnostic (`file:line: message`),
// so a CLI can print it as is and a test can match on the parts.

export class DataError extends Error {
  override readonly name = "DataError";
  /** The file that could not be read or parsed, as the caller named it. */
  readonly file: string;
  /** 1-based line of the offending row, when the problem belongs to one. */
  readonly line?: number;
  /** 1-based character column within that line, when known. */
  readonly column?: number;

  constructor(file: string, line: number | undefined, message: string, column?: number) {
    super(message);
    this.file = file;
    if (line !== undefined) this.line = line;
    if (column !== undefined) this.column = column;
    // Put the location into the stack header too, so an uncaught error still says where.
    if (this.stack) this.stack = this.stack.replace(/^[^\n]*/, `DataError: ${this.toString()}`);
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
