// The shared part of the readers with named columns (CSV, JSONL). Takes, row by row, the raw user,
// item, time and rating values with where each came from; checks them (ids not empty, time a number
// in the range timestamp.ts accepts, rating a finite number) and gives the collected
// InteractionColumns, or a DataError naming file, line, column and the column's name.

import { DataError } from "./data-error.js";
import type { InteractionColumns } from "./interactions.js";
import { printable, quoted } from "./printable.js";
import { timestampProblem } from "./timestamp.js";

/** Which column (CSV header name, JSONL key) holds what. Without `time`, file order is time order. */
export interface ColumnNames {
  readonly user: string;
  readonly item: string;
  readonly time?: string;
  /**
   * `time` may be missing from the file (the default column name, not one the spec wrote): then
   * file order is time order. The readers resolve this before rows are collected.
   */
  readonly optionalTime?: boolean;
  /** Column holding an explicit rating, read only when a `min_rating` threshold needs it. */
  readonly rating?: string;
}

/** The note for a file read in file order because it lacks the optional time column. */
export function fileOrderWarning(file: string, time: string): string {
  return `${printable(file)}: no ${quoted(time)} column, so each user's interactions are taken in file order (name the time column with \`time\`, or write \`time = ""\` to say file order is meant)`;
}

/** The names with `time` dropped when it is optional and the file does not have it. */
export function resolveTime(names: ColumnNames, fileHasTime: boolean): ColumnNames {
  if (names.time === undefined || fileHasTime || !names.optionalTime) return names;
  return { user: names.user, item: names.item, ...(names.rating === undefined ? {} : { rating: names.rating }) };
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
  private readonly ratings: number[] = [];

  constructor(
    private readonly file: string,
    private readonly names: ColumnNames,
  ) {}

  get size(): number {
    return this.users.length;
  }

  add(user: unknown, userAt: Where, item: unknown, itemAt: Where, time?: unknown, timeAt?: Where, rating?: unknown, ratingAt?: Where): void {
    this.users.push(this.id(user, this.names.user, userAt));
    this.items.push(this.id(item, this.names.item, itemAt));
    if (this.names.time !== undefined) this.times.push(this.time(time, this.names.time, timeAt ?? userAt));
    if (this.names.rating !== undefined) this.ratings.push(this.rating(rating, this.names.rating, ratingAt ?? userAt));
  }

  columns(): InteractionColumns {
    return {
      users: this.users,
      items: this.items,
      ...(this.names.time === undefined ? {} : { times: Float64Array.from(this.times) }),
      ...(this.names.rating === undefined ? {} : { ratings: Float64Array.from(this.ratings) }),
    };
  }

  private rating(value: unknown, name: string, at: Where): number {
    const r = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
    if (!Number.isFinite(r)) throw new DataError(this.file, at.line, `rating in '${printable(name)}' must be a number, found ${describe(value)}`, at.column);
    return r;
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
