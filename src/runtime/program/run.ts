// A run of a generated program: picks the backend, makes (or, to resume or evaluate, finds) the
// run's folder runs/<spec>/<run-id>/, and carries the options every stage needs.
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { selectBackend } from "../backend/select-backend.js";
import { NoRunError, type NoRunPurpose } from "../errors/no-run-error.js";
import type { SharedBlocks } from "./shared-blocks.js";
import type { RunOptions } from "./types.js";

export interface Run {
  readonly spec: string;
  readonly specDir: string;
  readonly dir: string;
  readonly resume: boolean;
  readonly stage: "run" | "train" | "eval";
  readonly backend: string;
  readonly matmul: string;
  readonly log: (line: string) => void;
  readonly progress: NodeJS.WritableStream;
  readonly startedAt: number;
  /** In an experiment: trained blocks other cells may reuse (shared-blocks.ts). */
  readonly shared?: SharedBlocks;
}

export async function startRun(spec: string, options: RunOptions): Promise<Run> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const stage = options.stage ?? "run";
  const specRuns = resolve(options.runsDir ?? "runs", spec);
  const reuse = options.resume || stage === "eval";
  // A missing run or an unknown backend fails before a new run folder exists, leaving none behind.
  const earlier = reuse ? latestRun(specRuns, stage === "eval" ? "evaluate" : "resume") : undefined;
  const selected = await selectBackend(options.backend);
  const dir = earlier ?? newRun(specRuns);
  log(`backend: ${selected.name} (matmul: ${selected.matmul})`);
  log(`${reuse ? (stage === "eval" ? "evaluating" : "resuming") : "run"}: ${dir}`);
  return {
    spec,
    specDir: options.specDir,
    dir,
    resume: Boolean(options.resume),
    stage,
    backend: selected.name,
    matmul: selected.matmul,
    log,
    progress: options.progress ?? process.stderr,
    startedAt: Date.now(),
  };
}

/** A fresh folder named by the start time (UTC), e.g. `2026-11-29T05-40-12Z`. */
function newRun(specRuns: string): string {
  const stamp = new Date().toISOString().replace(/\.\d+Z$/, "Z").replace(/:/g, "-");
  let dir = join(specRuns, stamp);
  for (let i = 2; existsSync(dir); i++) dir = join(specRuns, `${stamp}-${i}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The most recent run folder of a spec; runs are named by time, so the last in order is newest. */
export function latestRun(specRuns: string, purpose: NoRunPurpose): string {
  const runs = existsSync(specRuns) ? readdirSync(specRuns, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort() : [];
  if (runs.length === 0) throw new NoRunError(purpose, `nothing to ${purpose}: no earlier run in ${specRuns}`, { runDir: specRuns });
  return join(specRuns, runs[runs.length - 1]);
}
