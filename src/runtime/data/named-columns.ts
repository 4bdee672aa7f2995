// The shared part of the readers with named columns (CSV, JSONL). Takes, row by row, the raw user,
// item and time values with where each came from; checks them (ids not empty, time a finite
// number) and gives the collected InteractionColumns, or a DataError naming file, line, column and
// the column's name.

import { DataError } from "./data-error.js";
import type { InteractionColumns } from "./interactions.js";

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
    if (text === undefined) throw new DataError(this.file, at.line, `'${name}' must be a string or number, found ${describe(value)}`, at.column);
    if (text === "") throw new DataError(this.file, at.line, `empty id in '${name}'`, at.column);
    return text;
  }

  private time(value: unknown, name: string, at: Where): number {
    const t = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
    if (!Number.isFinite(t)) throw new DataError(this.file, at.line, `timestamp in '${name}' must be a number, found ${describe(value)}`, at.column);
    return t;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return `'${value}'`;
  return JSON.stringify(value);
}
