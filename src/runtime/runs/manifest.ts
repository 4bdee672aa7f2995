// The run manifest, `run.json` in every run folder: what made the run (the spec file and its text,
// the hash of the resolved IR — a copy of which is `ir.json` beside it —, the --set overrides,
// recspec's version, the backend, the training seeds) and how it went (status, start and end time,
// one entry per attempt: the first start, each --resume, each eval). Written atomically when the
// run starts and again when an attempt ends, so a folder with a readable run.json is a run. A
// PyTorch package's train.py and evaluate.py write the same record (codegen-pytorch/run-record-py.ts)
// with `target: "pytorch"`, the device and the command line.
// Takes and gives the manifest; reading validates the shape, so a stray file is never a run.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../fs/atomic-write.js";

export const RUN_FILE = "run.json";
export const RUN_IR_FILE = "ir.json";
const FORMAT = "recspec-run";

export type RunStatus = "running" | "complete" | "failed";
export type RunStage = "run" | "train" | "eval";

export interface RunAttempt {
  readonly stage: RunStage;
  readonly resume: boolean;
  readonly pid: number;
  readonly host: string;
  readonly backend: string;
  readonly startedAt: string;
  endedAt: string | null;
  status: RunStatus;
  /** Configuration differences accepted with --force (`block.attr: old → new`). */
  readonly forced?: readonly string[];
  error?: { code?: string; message: string };
}

export interface RunManifest {
  readonly format: typeof FORMAT;
  readonly version: 1;
  /** The folder's name: the start time, e.g. 2026-12-07T00-09-16Z (-2, -3… when several start in one second). */
  readonly id: string;
  readonly spec: string;
  /** Absolute path of the spec file, when the run was started from one. */
  readonly specFile: string | null;
  readonly specText: string | null;
  /** sha256 of ir.json's IR (without its `source` path), or null when the program gave none. */
  irHash: string | null;
  readonly overrides: readonly string[];
  /** recspec's version (package.json). */
  readonly recspec: string;
  readonly backend: string;
  readonly matmul: string;
  /** Training seed of every block that trains. */
  readonly seeds: Readonly<Record<string, number>>;
  /** The stage the run was started for (`run` or `train`; `eval` attempts are in `attempts`). */
  readonly stage: RunStage;
  /** Of training: `complete` once training (and, for `run`, evaluation) ended without error. */
  status: RunStatus;
  readonly startedAt: string;
  endedAt: string | null;
  attempts: RunAttempt[];
  /** The code-generation target that trained it; absent for the TypeScript program's runs. */
  readonly target?: "pytorch";
  /** A PyTorch run's device (`cpu`, `cuda (NVIDIA H100 80GB HBM3)`) and torch version. */
  readonly device?: string;
  readonly torch?: string;
  /** Processes that trained it (torchrun's WORLD_SIZE; 1 without torchrun). */
  readonly processes?: number;
  /** The command line that started the run. */
  readonly command?: string;
}

export function readManifest(dir: string): RunManifest | null {
  const file = join(dir, RUN_FILE);
  if (!existsSync(file)) return null;
  try {
    const m = JSON.parse(readFileSync(file, "utf8")) as Partial<RunManifest>;
    const valid =
      m.format === FORMAT &&
      typeof m.id === "string" &&
      typeof m.spec === "string" &&
      typeof m.startedAt === "string" &&
      (m.status === "running" || m.status === "complete" || m.status === "failed") &&
      Array.isArray(m.attempts);
    return valid ? (m as RunManifest) : null;
  } catch {
    return null;
  }
}

export function writeManifest(dir: string, manifest: RunManifest): void {
  writeFileAtomic(join(dir, RUN_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

export function newManifest(fields: Omit<RunManifest, "format" | "version" | "endedAt" | "status" | "attempts">, attempt: RunAttempt): RunManifest {
  return { format: FORMAT, version: 1, ...fields, status: "running", endedAt: null, attempts: [attempt] };
}

/** The IR as recorded: everything but `source` (the spec path as typed, which depends on the working folder). */
export function recordedIr(ir: object): object {
  const { source: _source, ...rest } = ir as { source?: unknown };
  return rest;
}

export function irHash(ir: object): string {
  return createHash("sha256")
    .update(JSON.stringify(recordedIr(ir)))
    .digest("hex");
}

/** The run's recorded IR (ir.json), or null for a run made before runs recorded it. */
export function readRunIr(dir: string): Record<string, unknown> | null {
  try {
    return JSON.parse(readFileSync(join(dir, RUN_IR_FILE), "utf8")) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** Block name → train seed, for every block of the IR that trains. */
export function trainSeeds(ir: { blocks?: readonly { name: string; train: Record<string, unknown> | null }[] }): Record<string, number> {
  const seeds: Record<string, number> = {};
  for (const block of ir.blocks ?? []) {
    const seed = block.train?.seed;
    if (typeof seed === "number") seeds[block.name] = seed;
  }
  return seeds;
}
