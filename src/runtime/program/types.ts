// The data generated programs hand to the runtime: blocks and evaluations exactly as the compiler's
// IR has them (snake_case attributes, every default explicit), and the options of a run.

/** One block of a spec: `model sasrec = sequential(beauty) { … }` with its attributes resolved. */
export interface BlockSpec {
  readonly name: string;
  readonly kind: "dataset" | "features" | "quantizer" | "tower" | "model" | "distill";
  readonly type: string;
  /** The data set whose items the block represents or ranks. */
  readonly dataset: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  /** The IR `train` object for blocks that train; null otherwise. */
  readonly train: Readonly<Record<string, unknown>> | null;
}

/** An `evaluate MODEL on DATA.SPLIT { … }` block. */
export interface EvaluationSpec {
  readonly model: string;
  readonly dataset: string;
  readonly split: "train" | "valid" | "test";
  readonly metrics: readonly { readonly metric: string; readonly k: number | null }[];
  readonly slices: readonly Readonly<Record<string, unknown>>[];
  readonly candidates: Readonly<Record<string, unknown>>;
  readonly exclude_history: boolean;
  readonly baseline: boolean;
  readonly bootstrap: number;
}

export interface RunOptions {
  /** Folder of the spec file: data paths are resolved from here first. */
  readonly specDir: string;
  /** Folder holding every run of every spec (default `runs`). */
  readonly runsDir?: string;
  /** `train` stops after training; `eval` restores the last run's models and evaluates them. */
  readonly stage?: "run" | "train" | "eval";
  /** Continue the latest run of this spec from its last complete checkpoint. */
  readonly resume?: boolean;
  /** Force a backend: node-gpu, node, wasm or cpu. */
  readonly backend?: string;
  /** Where progress lines go (default: standard error). */
  readonly log?: (line: string) => void;
  /** Stream for the training progress bar (default: process.stderr). */
  readonly progress?: NodeJS.WritableStream;
}
