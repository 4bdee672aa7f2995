// A run of a generated program: picks the backend, makes (or, to resume or evaluate, finds) the
// run's folder runs/<spec>/<run-id>/, and carries the options every stage needs. Every run folder
// is recorded (run.json, runs/manifest.ts: spec file and text, IR, overrides, version, backend,
// seeds, status) and locked while a process works in it (runs/run-lock.ts). Only recognisable
// runs are found again (runs/list-runs.ts), newest by start time, and only those of the same spec
// file. `--resume` refuses a run whose recorded configuration differs from the spec's unless
// forced (RS6030), and a run with nothing to continue from (RS6004); corrupt checkpoints are set
// aside. endRun (finishRun, or the CLI when a run fails) records how the attempt ended.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { VERSION } from "../../version.js";
import { selectBackend } from "../backend/select-backend.js";
import { NoRunError, type NoRunPurpose } from "../errors/no-run-error.js";
import { RunError } from "../errors/run-error.js";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { diffConfigs } from "../runs/config-diff.js";
import { listRuns, type ListedRun } from "../runs/list-runs.js";
import {
  irHash,
  newManifest,
  readRunIr,
  recordedIr,
  RUN_FILE,
  RUN_IR_FILE,
  trainSeeds,
  writeManifest,
  type RunAttempt,
  type RunManifest,
  type RunStatus,
} from "../runs/manifest.js";
import { LOCK_FILE, lockRun } from "../runs/run-lock.js";
import { scanForResume } from "../runs/resume-scan.js";
import type { ProgressStream } from "../train/progress.js";
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
  /** Result tables: to `log` unless the caller asked for them elsewhere (RunOptions.results). */
  readonly results?: (text: string) => void;
  readonly progress: ProgressStream;
  readonly startedAt: number;
  /** In an experiment: trained blocks other cells may reuse (shared-blocks.ts). */
  readonly shared?: SharedBlocks;
}

/** What the CLI knows about the run beyond the program's options (RunOptions.record). */
export interface RunRecordOptions {
  /** The spec's resolved IR: recorded as ir.json, and compared with a resumed run's. */
  readonly ir?: object;
  /** The spec file (absolute): runs of another file with the same spec name are never taken. */
  readonly specFile?: string;
  /** The --set overrides. */
  readonly overrides?: readonly string[];
  /** --force: resume or evaluate although the configuration or the spec file differs. */
  readonly force?: boolean;
  /** Experiments: several processes may work in the run at once, each on the cells it claims
   * (cell-claim.ts), so the run folder is not locked. */
  readonly sharedByCells?: boolean;
}

/** Runs this process started and has not ended: their manifest, attempt and lock. */
interface OpenRun {
  readonly manifest: RunManifest;
  readonly attempt: RunAttempt;
  readonly release: () => void;
  /** This attempt made the folder (so a failure that left nothing in it removes it). */
  readonly created: boolean;
}
const open = new Map<Run, OpenRun>();

export async function startRun(spec: string, options: RunOptions): Promise<Run> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const stage = options.stage ?? "run";
  const record: RunRecordOptions = options.record ?? {};
  const specRuns = resolve(options.runsDir ?? "runs", spec);
  const reuse = Boolean(options.resume) || stage === "eval";
  const purpose: NoRunPurpose = stage === "eval" ? "evaluate" : "resume";
  // A missing run or an unknown backend fails before a new run folder exists, leaving none behind.
  const earlier = reuse ? chooseRun(specRuns, purpose, record, log) : undefined;
  const selected = await selectBackend(options.backend);
  log(`backend: ${selected.name} (matmul: ${selected.matmul})`);

  const dir = earlier?.dir ?? newRunFolder(specRuns);
  let release: () => void;
  try {
    release = record.sharedByCells ? () => undefined : lockRun(dir);
  } catch (error) {
    if (!earlier) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  let attempt: RunAttempt = {
    stage,
    resume: Boolean(options.resume),
    pid: process.pid,
    host: hostname(),
    backend: selected.name,
    startedAt: new Date().toISOString(),
    endedAt: null,
    status: "running",
  };
  let manifest: RunManifest;
  try {
    if (earlier) {
      const forced = checkConfiguration(dir, purpose, record, log);
      if (purpose === "resume") checkSomethingToResume(dir, log);
      manifest = earlier.manifest ?? legacyManifest(earlier, spec, selected);
      if (forced.length > 0) attempt = { ...attempt, forced };
      manifest.attempts.push(attempt);
      if (purpose === "resume") {
        manifest.status = "running";
        manifest.endedAt = null;
        // A forced resume continues with the spec's configuration: record it as the run's now.
        if (forced.length > 0 && record.ir) recordIr(dir, manifest, record.ir);
      }
      log(`${stage === "eval" ? "evaluating" : "resuming"}: ${dir}`);
    } else {
      manifest = newManifest(
        {
          id: dir.slice(specRuns.length + 1),
          spec,
          specFile: record.specFile ?? null,
          specText: record.specFile ? readText(record.specFile) : null,
          irHash: null,
          overrides: [...(record.overrides ?? [])],
          recspec: VERSION,
          backend: selected.name,
          matmul: selected.matmul,
          seeds: record.ir ? trainSeeds(record.ir as never) : {},
          stage,
          startedAt: attempt.startedAt,
        },
        attempt,
      );
      if (record.ir) recordIr(dir, manifest, record.ir);
      log(`run: ${dir}`);
      const others = new Set(
        listRuns(specRuns)
          .map((r) => r.manifest?.specFile)
          .filter((f) => f && record.specFile && f !== record.specFile),
      );
      if (others.size > 0) log(`note: ${specRuns} also holds runs of ${[...others].join(", ")}; --resume and eval take only this spec file's runs`);
    }
    writeManifest(dir, manifest);
  } catch (error) {
    release();
    if (!earlier) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const run: Run = {
    spec,
    specDir: options.specDir,
    dir,
    resume: Boolean(options.resume),
    stage,
    backend: selected.name,
    matmul: selected.matmul,
    log,
    results: options.results,
    progress: options.progress ?? process.stderr,
    startedAt: Date.now(),
  };
  open.set(run, { manifest, attempt, release, created: !earlier });
  closeOnExit();
  return run;
}

/**
 * Records how this process's attempt on `run` ended and unlocks the folder. A failed fresh run
 * that left nothing but its own records is removed, so it is never taken as the latest run.
 * Does nothing for a run this process did not start (an experiment cell's copy, an ended run).
 */
export function endRun(run: Run, status: Exclude<RunStatus, "running">, error?: unknown): void {
  const entry = open.get(run);
  if (!entry) return;
  open.delete(run);
  const { manifest, attempt } = entry;
  try {
    attempt.status = status;
    attempt.endedAt = new Date().toISOString();
    if (error !== undefined) attempt.error = describeError(error);
    if (attempt.stage !== "eval") {
      manifest.status = status;
      manifest.endedAt = attempt.endedAt;
    }
    if (status === "failed" && entry.created && holdsNothing(run.dir)) {
      rmSync(run.dir, { recursive: true, force: true });
      return;
    }
    writeManifest(run.dir, manifest);
  } catch {
    // Recording the end is best effort (the disk may be full, which may be why the run failed): a
    // manifest left at `running` with a dead process reads as interrupted.
  } finally {
    entry.release();
  }
}

/** Ends every run this process has open (the CLI: after a run's experiments, or when it failed). */
export function endOpenRuns(status: Exclude<RunStatus, "running">, error?: unknown): void {
  for (const run of [...open.keys()]) endRun(run, status, error);
}

let exitHook = false;
/** A program run as a script ends its runs by its exit status, whoever forgot to. */
function closeOnExit(): void {
  if (exitHook) return;
  exitHook = true;
  process.once("exit", (code) => endOpenRuns(code === 0 ? "complete" : "failed"));
}

/** The most recent run of a spec (by start time); only recognisable runs (list-runs.ts) count. */
export function latestRun(specRuns: string, purpose: NoRunPurpose): string {
  const runs = listRuns(specRuns);
  if (runs.length === 0) throw new NoRunError(purpose, `nothing to ${purpose}: no earlier run in ${specRuns}`, { runDir: specRuns });
  return runs[runs.length - 1].dir;
}

/** The run to resume or evaluate: the newest of this spec file's runs (to evaluate: a complete one). */
function chooseRun(specRuns: string, purpose: NoRunPurpose, record: RunRecordOptions, log: (line: string) => void): ListedRun {
  const runs = listRuns(specRuns);
  if (runs.length === 0) throw new NoRunError(purpose, `nothing to ${purpose}: no earlier run in ${specRuns}`, { runDir: specRuns });
  const sameFile = (r: ListedRun) => !record.specFile || !r.manifest?.specFile || r.manifest.specFile === record.specFile;
  let mine = runs.filter(sameFile);
  if (mine.length === 0) {
    const other = runs[runs.length - 1];
    if (!record.force) {
      throw new RunError("RS6032", `the runs in ${specRuns} were made from ${other.manifest?.specFile}, not ${record.specFile}`, {
        help: "two spec files share this spec name: give this one its own --runs folder or another `spec` name, or add --force to use that run anyway",
        context: { runDir: other.dir },
      });
    }
    log(`note: --force: using ${other.id}, a run of ${other.manifest?.specFile}`);
    mine = runs;
  }
  if (purpose === "evaluate") {
    // A run whose evaluation failed after training still has its trained weights to evaluate.
    const done = mine.filter((r) => r.status === "complete" || r.status === "legacy" || (r.status !== "running" && hasTrainedWeights(r.dir)));
    if (done.length === 0) {
      const last = mine[mine.length - 1];
      throw new NoRunError(purpose, `nothing to evaluate: the latest run ${last.id} is ${last.status} and no run of this spec finished training`, {
        runDir: last.dir,
      });
    }
    return done[done.length - 1];
  }
  return mine[mine.length - 1];
}

function hasTrainedWeights(dir: string): boolean {
  try {
    return readdirSync(dir, { withFileTypes: true }).some((d) => d.isDirectory() && existsSync(join(dir, d.name, "model", "model.json")));
  } catch {
    return false;
  }
}

/**
 * Compares the run's recorded IR with the spec's. Training differences refuse (RS6030) unless
 * --force; gives the differences accepted. Evaluation differences only change what is measured.
 */
function checkConfiguration(dir: string, purpose: NoRunPurpose, record: RunRecordOptions, log: (line: string) => void): string[] {
  if (!record.ir) return [];
  const recorded = readRunIr(dir);
  if (recorded === null) {
    log(`note: ${dir} records no configuration (made by an older recspec); not compared with the spec`);
    return [];
  }
  const { training, other } = diffConfigs(recorded, recordedIr(record.ir) as Record<string, unknown>);
  if (other.length > 0) log(`the spec's evaluations or experiments changed since the run started (${other.join("; ")}); they apply from now on`);
  if (training.length === 0) return [];
  const list = training.map((d) => `  ${d}`).join("\n");
  if (!record.force) {
    const doing = purpose === "resume" ? "resume" : "evaluate";
    throw new RunError("RS6030", `cannot ${doing} ${dir}: the spec's configuration differs from the run's:\n${list}`, {
      help:
        purpose === "resume"
          ? "start a fresh run (without --resume), undo the change, or add --force to continue this run with the new configuration"
          : "evaluate with the spec the run was trained from, train a fresh run, or add --force to evaluate anyway",
      context: { runDir: dir },
    });
  }
  log(`--force: ${purpose === "resume" ? "continuing" : "evaluating"} the run although its configuration differs:\n${list}`);
  return training;
}

/** RS6004 when no block of the run has a usable checkpoint or trained weights. */
function checkSomethingToResume(dir: string, log: (line: string) => void): void {
  const found = scanForResume(dir, log);
  // An experiment's cells resume by themselves (cell-results.ts), from wherever they stopped.
  if (found.usable.length > 0 || found.trained.length > 0 || existsSync(join(dir, "experiments"))) return;
  throw new NoRunError("resume", `nothing to resume from in ${dir}: no block has a complete checkpoint yet`, { runDir: dir });
}

function recordIr(dir: string, manifest: RunManifest, ir: object): void {
  writeFileAtomic(join(dir, RUN_IR_FILE), `${JSON.stringify(recordedIr(ir), null, 2)}\n`);
  manifest.irHash = irHash(ir);
}

/** A manifest for a run made before manifests, from what the folder says. */
function legacyManifest(run: ListedRun, spec: string, selected: { name: string; matmul: string }): RunManifest {
  const started = new Date(run.startedAt).toISOString();
  const manifest = newManifest(
    {
      id: run.id,
      spec,
      specFile: null,
      specText: null,
      irHash: null,
      overrides: [],
      recspec: "unknown",
      backend: selected.name,
      matmul: selected.matmul,
      seeds: {},
      stage: "run",
      startedAt: started,
    },
    { stage: "run", resume: false, pid: -1, host: hostname(), backend: selected.name, startedAt: started, endedAt: null, status: "complete" },
  );
  manifest.status = "complete";
  return manifest;
}

/** A fresh folder named by the start time (UTC), e.g. `2026-11-29T05-40-12Z`, made exclusively. */
function newRunFolder(specRuns: string): string {
  const stamp = new Date()
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replace(/:/g, "-");
  mkdirSync(specRuns, { recursive: true });
  for (let i = 1; ; i++) {
    const dir = join(specRuns, i === 1 ? stamp : `${stamp}-${i}`);
    try {
      mkdirSync(dir); // fails when another process took the name first
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}

/** Only the run's own records (manifest, IR, lock, their temp files) and empty folders. */
function holdsNothing(dir: string): boolean {
  const own = new Set([RUN_FILE, RUN_IR_FILE, LOCK_FILE]);
  const visit = (d: string): boolean =>
    readdirSync(d, { withFileTypes: true }).every((e) =>
      e.isDirectory() ? visit(join(d, e.name)) : d === dir && (own.has(e.name) || e.name.endsWith(".tmp")),
    );
  try {
    return visit(dir);
  } catch {
    return false;
  }
}

function describeError(error: unknown): { code?: string; message: string } {
  if (error instanceof RunError) return { code: error.code, message: error.message };
  return { message: error instanceof Error ? error.message : String(error) };
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}
