// The options of a run, as the CLI or a program run as a script gives them. (The settings of
// blocks and evaluations are the IR's own types, src/ir, written as literals by the compiler.)
import type { ProgressStream } from "../train/progress.js";

export interface RunOptions {
  /** Folder of the spec file: data paths are resolved from here first. */
  readonly specDir: string;
  /** Folder holding every run of every spec (default `runs`). */
  readonly runsDir?: string;
  /** `train` stops after training; `eval` restores the last run's models and evaluates them. */
  readonly stage?: "run" | "train" | "eval";
  /** Continue the latest run of this spec from its last complete checkpoint. */
  readonly resume?: boolean;
  /** Force a backend: webgpu, node-gpu, node, wasm or cpu. */
  readonly backend?: string;
  /** Where progress lines go (default: standard error). */
  readonly log?: (line: string) => void;
  /** Where result tables go (default: `log`); the CLI sends them to standard output. */
  readonly results?: (text: string) => void;
  /** Stream for the training progress bar (default: process.stderr). */
  readonly progress?: ProgressStream;
  /** What the CLI records in the run's manifest and checks on resume (spec file, IR, --set, --force). */
  readonly record?: import("./run.js").RunRecordOptions;
}
