// Input shapes of the HTML reports. Takes nothing; gives the types a run (writeReport) and a sweep
// (experimentReport) hand over. Kept free of runtime imports so callers can build them from JSON
// files (metrics.jsonl, evaluation results) without loading the training code.
import type { VegaLiteSpec } from "./chart-theme.js";

/** One line of a run's metrics.jsonl (see train/metrics-log.ts). */
export interface MetricRecord {
  step: number;
  epoch: number;
  /** "train" or "valid" ("val", as the train loop writes it, is read as "valid" too). */
  split: string;
  /** "loss", "epoch_loss", "ndcg@10", ... */
  name: string;
  /** null stands for a non-finite value, as metrics.jsonl writes it. */
  value: number | null;
  /** Wall-clock milliseconds since the Unix epoch. */
  time: number;
}

/** Mean and interval; NaN/null bounds mean "no interval" (coverage is not a mean over users). */
export interface IntervalValue {
  mean: number;
  low: number;
  high: number;
}

/** One test-set result: a model's metric on a user slice, optionally beside the baseline's. */
export interface ReportEvalRow extends IntervalValue {
  /** "recall@10", "ndcg@10", ... */
  metric: string;
  /** "all", "head", "tail", "cold_start". */
  slice: string;
  /** The model's name (the spec's model). */
  model: string;
  /** Users in the slice. */
  n: number;
  baseline?: IntervalValue;
  /** Model − baseline per user: mean and paired bootstrap interval (same resamples); absent in older runs. */
  difference?: IntervalValue;
}

/** How one evaluation was made (its protocol line comes from eval/protocol.ts). */
export interface ReportEvaluation {
  model: string;
  dataset: string;
  /** "valid" or "test" (or "train"). */
  split: string;
  users: number;
  /** E.g. "full catalogue (12101 items), history excluded, leave_last_out split". */
  protocol: string;
}

export interface ReportData {
  title: string;
  /** Path of the spec file the run was compiled from. */
  spec: string;
  /** Backend the run trained on, as select-backend describes it. */
  backend: string;
  /** Shown when given; left out otherwise so the same run gives byte-identical reports. */
  createdAt?: string;
  metrics: MetricRecord[];
  results: ReportEvalRow[];
  /** Label of the baseline in charts and tables (default "popularity"). */
  baselineName?: string;
  /** Each evaluation's protocol, shown above the results. */
  evaluations?: ReportEvaluation[];
  /** The IR: each block's resolved settings as a table, and the whole IR, collapsed. */
  config?: unknown;
  /** Caveats worth reading beside the numbers ("validation on 2000 sampled users"). */
  notes?: string[];
}

/** One sweep cell: a configuration's metric on a slice, summarised over seeds. */
export interface ExperimentRow extends IntervalValue {
  config: Record<string, string | number>;
  metric: string;
  slice: string;
  /** Seeds the mean and interval were taken over. */
  seeds: number;
  /** The evaluation's baseline (popularity unless it lists another first) over the same seeds; absent without one. */
  baseline?: IntervalValue;
}

export interface ExperimentData {
  title: string;
  rows: ExperimentRow[];
  createdAt?: string;
  notes?: string[];
  /** Further results after the metrics, e.g. a distillation experiment's analyses. */
  sections?: ExperimentSection[];
}

/** A titled part of a sweep report: a line of explanation, a table of rows, and charts. */
export interface ExperimentSection {
  title: string;
  note: string;
  rows: ExperimentRow[];
  charts: VegaLiteSpec[];
}
