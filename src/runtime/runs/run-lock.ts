// The lock of a run folder: one process at a time trains, resumes or evaluates a run. Takes the
// run folder; gives a release function, or throws RS6031 naming the live process that holds it.
// The lock file (`.lock`) holds {pid, host, startedAt} and is created with its content in one step
// (exclusive-file.ts); a lock whose process is dead on this host is stale and taken over, so a
// run killed with -9 can be resumed without cleaning up by hand.
import { hostname } from "node:os";
import { join } from "node:path";
import { readFileSync, rmSync } from "node:fs";
import { RunError } from "../errors/run-error.js";
import { createExclusive } from "../fs/exclusive-file.js";
import { processAlive } from "./process-alive.js";

export const LOCK_FILE = ".lock";

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
}

/** Locks held by this process: a lock file naming our own pid but not here is left over (stale). */
const held = new Set<string>();

export function lockRun(dir: string): () => void {
  const file = join(dir, LOCK_FILE);
  const owner: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createExclusive(file, `${JSON.stringify(owner)}\n`)) {
      held.add(file);
      return () => {
        held.delete(file);
        rmSync(file, { force: true });
      };
    }
    const holder = readOwner(file);
    if (holder === null) continue; // released meanwhile
    if (!stale(holder, file)) {
      const where = holder.host === owner.host ? `process ${holder.pid}` : `process ${holder.pid} on ${holder.host}`;
      throw new RunError("RS6031", `the run is in use by ${where} (since ${holder.startedAt})`, {
        help: `wait for it to finish, or stop it; if no such process runs, delete ${file}`,
        context: { runDir: dir },
      });
    }
    rmSync(file, { force: true });
  }
  throw new Error(`could not lock ${dir}: another process keeps taking it over`);
}

function stale(holder: LockOwner, file: string): boolean {
  // A process on another machine (a shared disk) cannot be probed from here: never stale.
  if (holder.host !== hostname()) return false;
  if (holder.pid === process.pid) return !held.has(file);
  return !processAlive(holder.pid);
}

function readOwner(file: string): LockOwner | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  try {
    const owner = JSON.parse(text) as Partial<LockOwner>;
    if (typeof owner.pid === "number") return { pid: owner.pid, host: String(owner.host ?? hostname()), startedAt: String(owner.startedAt ?? "?") };
  } catch {
    // Not ours or damaged: whoever wrote it is not a recspec process holding the run.
  }
  return { pid: -1, host: hostname(), startedAt: "?" };
}
