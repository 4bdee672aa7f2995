// The shared part of the readers with named columns (CSV, JSONL). Takes, row by row, the raw user,
// item and time values with where each came from; checks them (ids not empty, time a number in
// the range timestamp.ts accepts) and gives the collected InteractionColumns, or a DataError naming file, line, column and
// the column's name.

import { DataError } from "./data-error.js";
import type { InteractionColumns } from "./interactions.js";
import { printable, quoted } from "./printable.js";
import { timestampProblem } from "./timestamp.js";

/** Which column (CSV header name, JSONL key) holds what. Without `time`, file order is time order. */
export interface ColumnNames {
  readonly user: string;
  readonly item: string;
  readonly time?: string;
}

/** Where a value sits in the file, for error messages (1-based). */
export interface Where {
  readonly line: number;
  readonly column?: number;
}

export class RowCollector {
  private readonly users: string[] = [];
  private readonly items: string[] = [];
  private readonly times: number[] = [];

  constructor(
    private readonly file: string,
    private readonly names: ColumnNames,
  ) {}

  get size(): number {
    return this.users.length;
  }

  add(user: unknown, userAt: Where, item: unknown, itemAt: Where, time?: unknown, timeAt?: Where): void {
    this.users.push(this.id(user, this.names.user, userAt));
    this.items.push(this.id(item, this.names.item, itemAt));
    if (this.names.time !== undefined) this.times.push(this.time(time, this.names.time, timeAt ?? userAt));
  }

  columns(): InteractionColumns {
    if (this.names.time === undefined) return { users: this.users, items: this.items };
    return { users: this.users, items: this.items, times: Float64Array.from(this.times) };
  }

  private id(value: unknown, name: string, at: Where): string {
    const text = typeof value === "number" && Number.isFinite(value) ? String(value) : typeof value === "string" ? value.trim() : undefined;
    if (text === undefined) throw new DataError(this.file, at.line, `'${printable(name)}' must be a string or number, found ${describe(value)}`, at.column);
    if (text === "") throw new DataError(this.file, at.line, `empty id in '${printable(name)}'`, at.column);
    return text;
  }

  private time(value: unknown, name: string, at: Where): number {
    const t = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
    if (Number.isNaN(t)) throw new DataError(this.file, at.line, `timestamp in '${printable(name)}' must be a number, found ${describe(value)}`, at.column);
    const problem = timestampProblem(t);
    if (problem !== null) throw new DataError(this.file, at.line, `timestamp in '${printable(name)}' ${problem}, found ${describe(value)}`, at.column);
    return t;
  }
}

/** A value for a message: strings quoted and cut short, anything else as short JSON. */
function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return quoted(value);
  if (typeof value === "number") return String(value);
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${printable(json.slice(0, 60))}…` : printable(json);
}
