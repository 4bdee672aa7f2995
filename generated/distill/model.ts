/**
 * Generated from specs/distill.recspec by recspec — do not edit (run `recspec compile` again).
 * Every block of the spec as data, and a function that loads or builds each.
 */
import {
  buildDistill,
  buildSequential,
  loadData,
  type BlockSpec,
  type PreparedData,
  type ProgramEvaluation,
  type RecModel,
  type Run,
} from "recspec/runtime";

/** `dataset beauty = amazon(…)`, every default explicit. */
export const beautyConfig: BlockSpec = {
  name: "beauty",
  kind: "dataset",
  type: "amazon",
  dataset: "beauty",
  attributes: {
    dir: "data/amazon-beauty",
    name: "Beauty",
    split: "leave_last_out",
    history: 50,
    window: 30,
    stride: 5,
    cold_start: 0,
    min_length: 3,
  },
  train: null,
};

/** `model teacher = sequential(…)`, every default explicit. */
export const teacherConfig: BlockSpec = {
  name: "teacher",
  kind: "model",
  type: "sequential",
  dataset: "beauty",
  attributes: {
    data: { ref: "beauty" },
    embedding: 64,
    encoder: {
      type: "transformer",
      layers: 2,
      heads: 2,
      head_dim: 32,
      d_model: 64,
      d_ff: 256,
      dropout: 0.2,
      causal: true,
      activation: "gelu",
      norm: "pre",
      max_positions: 512,
    },
    loss: { type: "softmax", label_smoothing: 0 },
    positions: "all",
  },
  train: {
    optimizer: { type: "adam", lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
    schedule: { type: "constant" },
    epochs: 8,
    steps: null,
    batch: 256,
    micro_batch: null,
    clip: 0,
    early_stop: null,
    patience: 3,
    checkpoint_every: 1000,
    seed: 0,
  },
};

/** `distill student = distill(…)`, every default explicit. */
export const studentConfig: BlockSpec = {
  name: "student",
  kind: "distill",
  type: "distill",
  dataset: "beauty",
  attributes: {
    teacher: { ref: "teacher" },
    student: {
      model: "teacher",
      type: "sequential",
      overrides: { embedding: 16, "encoder.layers": 1 },
      attributes: {
        data: { ref: "beauty" },
        embedding: 16,
        encoder: {
          type: "transformer",
          layers: 1,
          heads: 2,
          head_dim: 8,
          d_model: 16,
          d_ff: 256,
          dropout: 0.2,
          causal: true,
          activation: "gelu",
          norm: "pre",
          max_positions: 512,
        },
        loss: { type: "softmax", label_smoothing: 0 },
        positions: "all",
      },
    },
    temperature: 4,
    alpha: 0.9,
    teacher_transform: { type: "full" },
    precompute: true,
    checkpoint: null,
  },
  train: {
    optimizer: { type: "adam", lr: 0.002, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
    schedule: { type: "constant" },
    epochs: 3,
    steps: null,
    batch: 256,
    micro_batch: null,
    clip: 0,
    early_stop: null,
    patience: 3,
    checkpoint_every: 1000,
    seed: 0,
  },
};

/** Every block of the spec by name: an experiment passes variants of these. */
export interface Blocks {
  readonly beauty: BlockSpec;
  readonly teacher: BlockSpec;
  readonly student: BlockSpec;
}

/** The blocks as the spec writes them. */
export const specBlocks: Blocks = {
  beauty: beautyConfig,
  teacher: teacherConfig,
  student: studentConfig,
};

/** Reads and splits `beauty`. */
export function loadBeauty(run: Run, blocks: Blocks): Promise<PreparedData> {
  return loadData(run, blocks.beauty);
}

/** Builds `model teacher = sequential(…)` with freshly initialised weights. */
export function buildTeacher(blocks: Blocks, beauty: PreparedData): RecModel {
  return buildSequential(blocks.teacher, beauty);
}

/** Builds `distill student = distill(…)` with freshly initialised weights. */
export function buildStudent(
  blocks: Blocks,
  beauty: PreparedData,
  teacher: RecModel,
  run: Run,
): RecModel {
  return buildDistill(blocks.student, beauty, teacher, run);
}

/** The spec's `evaluate` blocks. */
export const specEvaluations: ProgramEvaluation[] = [
  {
    model: "teacher",
    dataset: "beauty",
    split: "test",
    metrics: [
      { metric: "recall", k: 10 },
      { metric: "ndcg", k: 10 },
    ],
    slices: [{ type: "all" }, { type: "popularity", head: 0.2 }],
    candidates: { type: "full" },
    exclude_history: false,
    baseline: true,
    bootstrap: 1000,
  },
  {
    model: "student",
    dataset: "beauty",
    split: "test",
    metrics: [
      { metric: "recall", k: 10 },
      { metric: "ndcg", k: 10 },
    ],
    slices: [{ type: "all" }, { type: "popularity", head: 0.2 }],
    candidates: { type: "full" },
    exclude_history: false,
    baseline: true,
    bootstrap: 1000,
  },
];
