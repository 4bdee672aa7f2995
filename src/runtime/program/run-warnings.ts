// Warnings of a run: what a stage noticed but could go on with (a data file's duplicate column, a
// data set whose validation or test split came out empty). Takes the run and a line; logs it as
// `warning: …` at once and keeps it, so the report lists it under its notes.
import type { Run } from "./run.js";

const byRun = new WeakMap<Run, string[]>();

export function warnRun(run: Run, line: string): void {
  let list = byRun.get(run);
  if (list === undefined) byRun.set(run, (list = []));
  list.push(line);
  run.log(`warning: ${line}`);
}

export function runWarnings(run: Run): readonly string[] {
  return byRun.get(run) ?? [];
}
