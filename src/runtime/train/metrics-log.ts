// The run's metric log: one JSON object per line in `metrics.jsonl`.
// Takes metric entries as training produces them; gives an append-only file that can be read
// back, made durable on demand (fsync, once per epoch and before each checkpoint), and cut back
// to a step when a run resumes so that replayed steps are not logged twice. A full disk is a
// RunError (RS6033), not a crash.
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { diskError } from "../fs/disk-error.js";

export interface MetricEntry {
  /** Updates done when the value was measured. */
  step: number;
  epoch: number;
  /** "train", "val", "test", ... */
  split: string;
  name: string;
  value: number;
  /** Wall-clock milliseconds since the Unix epoch. */
  time: number;
}

export const METRICS_FILE = "metrics.jsonl";

export class MetricsLog {
  private fd: number | null;

  /** Opens (creating if needed) the log at `file` for appending. */
  constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.fd = fs.openSync(file, "a");
  }

  /** Appends one entry; `time` defaults to now. Non-finite values are written as null. */
  append(entry: Omit<MetricEntry, "time"> & { time?: number }): void {
    if (this.fd === null) throw new Error(`metrics log ${this.file} is closed`);
    const full: MetricEntry = { ...entry, time: entry.time ?? Date.now() };
    try {
      fs.writeSync(this.fd, `${JSON.stringify(full)}\n`);
    } catch (error) {
      throw diskError(error, this.file);
    }
  }

  /** Makes everything appended so far durable. */
  sync(): void {
    if (this.fd !== null) fs.fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd === null) return;
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    this.fd = null;
  }
}

/**
 * Reads every complete entry of a log (a torn last line from a crash is skipped); [] when the
 * file does not exist. Values written as null (non-finite) come back as NaN.
 */
export function readMetrics(file: string): MetricEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  const out: MetricEntry[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    let entry: MetricEntry;
    try {
      entry = JSON.parse(line) as MetricEntry;
    } catch {
      continue;
    }
    if (entry.value === null) entry.value = NaN;
    out.push(entry);
  }
  return out;
}

/**
 * Keeps only the entries with step <= `step` (and drops a torn last line), rewriting the file
 * atomically. Call before reopening the log on resume from a checkpoint taken at `step`.
 */
export function truncateMetrics(file: string, step: number): void {
  if (!fs.existsSync(file)) return;
  const all = readMetrics(file);
  const kept = all.filter((e) => e.step <= step);
  // Nothing past the step and no torn line: leave the file (and its modification time) alone.
  if (kept.length === all.length && fs.readFileSync(file, "utf8").endsWith("\n")) return;
  writeFileAtomic(file, kept.map((e) => `${JSON.stringify(e)}\n`).join(""));
}
