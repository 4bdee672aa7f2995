// The IR objects the pipeline functions take, typed as the compiler emits them (snake_case keys,
// defaults filled): a dataset block, a block's `train` object and an `evaluate` entry.
// Takes nothing; gives types only (the runtime never imports the compiler).

export interface DatasetSpec {
  name: string;
  type: "amazon" | "movielens" | "interactions" | "synthetic";
  /** The dataset block's attributes; see prepare-data.ts for the keys each type reads. */
  attributes: Record<string, unknown>;
}

export type OptimizerSpec =
  | { type: "adam"; lr: number; beta1: number; beta2: number; eps: number }
  | { type: "adamw"; lr: number; weight_decay: number; beta1: number; beta2: number; eps: number }
  | { type: "adagrad"; lr: number; initial_accumulator: number }
  | { type: "sgd"; lr: number; momentum: number };

export type ScheduleSpec =
  | { type: "constant" }
  | { type: "inverse_sqrt"; warmup: number }
  | { type: "cosine"; warmup: number; final: number };

/** A block's `train { ... }` object. */
export interface TrainSpec {
  optimizer: OptimizerSpec;
  schedule: ScheduleSpec;
  /** Epochs, or null when `steps` is set (both null: 10 epochs). */
  epochs: number | null;
  steps: number | null;
  batch: number;
  /** Examples per forward pass; null: chosen to fit the memory budget. */
  micro_batch: number | null;
  /** Global-norm clipping; 0 is off. */
  clip: number;
  /** `loss` (validation loss) or a ranking metric such as ndcg@10; null: no early stopping. */
  early_stop: { metric: string; k: number | null } | null;
  patience: number;
  checkpoint_every: number;
  seed: number;
}

export type SliceSpec = { type: "all" } | { type: "popularity"; head: number } | { type: "cold_start" };

export type CandidatesSpec = { type: "full" } | { type: "sampled"; negatives: number; sampling: "popularity" | "uniform" };

/** One `evaluate MODEL on DATA.SPLIT { ... }` entry of the IR. */
export interface EvaluationSpec {
  model?: string;
  dataset?: string;
  split: "train" | "valid" | "test";
  metrics: { metric: string; k: number | null }[];
  slices: SliceSpec[];
  candidates: CandidatesSpec;
  exclude_history: boolean;
  baseline: boolean;
  /** Bootstrap resamples; 0: no intervals. */
  bootstrap: number;
}

/** "ndcg@10" from {metric: "ndcg", k: 10}; "mrr" when k is null. */
export function metricName(m: { metric: string; k: number | null }): string {
  return m.k === null ? m.metric : `${m.metric}@${m.k}`;
}
