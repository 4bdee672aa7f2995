// The runs of a spec: the folders under runs/<spec>/ that are recognisably runs — a valid run.json
// (manifest.ts), or, for runs made before manifests, a folder named by its start time that holds
// a checkpoint, trained weights or results — oldest first by start time (so `…Z-10` comes after
// `…Z-9`). Anything else there (an empty folder, a copy, notes) is not a run. A run whose manifest
// says `running` but whose process is dead on this host is shown as `interrupted`.
// Takes the spec's runs folder; gives the runs with their manifests and status.
import { existsSync, readdirSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { processAlive } from "./process-alive.js";
import { readManifest, type RunManifest } from "./manifest.js";

export type ListedStatus = "running" | "complete" | "failed" | "interrupted" | "legacy";

export interface ListedRun {
  readonly id: string;
  readonly dir: string;
  /** null for a run made before run manifests. */
  readonly manifest: RunManifest | null;
  readonly status: ListedStatus;
  /** Milliseconds since the epoch. */
  readonly startedAt: number;
}

const STAMP = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})Z(?:-(\d+))?$/;

export function listRuns(specRuns: string): ListedRun[] {
  if (!existsSync(specRuns)) return [];
  const runs: (ListedRun & { suffix: number })[] = [];
  for (const entry of readdirSync(specRuns, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(specRuns, entry.name);
    const stamp = STAMP.exec(entry.name);
    const suffix = stamp?.[5] === undefined ? 1 : Number(stamp[5]);
    const manifest = readManifest(dir);
    if (manifest !== null) {
      runs.push({ id: entry.name, dir, manifest, status: statusOf(manifest), startedAt: Date.parse(manifest.startedAt), suffix });
    } else if (stamp !== null && holdsRunOutput(dir)) {
      const startedAt = Date.parse(`${stamp[1]}T${stamp[2]}:${stamp[3]}:${stamp[4]}Z`);
      runs.push({ id: entry.name, dir, manifest: null, status: "legacy", startedAt, suffix });
    }
  }
  runs.sort((a, b) => a.startedAt - b.startedAt || a.suffix - b.suffix || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return runs.map(({ suffix: _suffix, ...run }) => run);
}

function statusOf(m: RunManifest): ListedStatus {
  if (m.status !== "running") return m.status;
  const last = m.attempts[m.attempts.length - 1];
  if (last !== undefined && last.host === hostname() && !processAlive(last.pid)) return "interrupted";
  return "running";
}

/** A pre-manifest run folder: results, or a block folder with a checkpoint or trained weights. */
function holdsRunOutput(dir: string): boolean {
  if (existsSync(join(dir, "results.json"))) return true;
  return readdirSync(dir, { withFileTypes: true }).some(
    (d) => d.isDirectory() && (existsSync(join(dir, d.name, "model", "model.json")) || readdirSync(join(dir, d.name)).some((f) => /^ckpt-\d+$/.test(f))),
  );
}
