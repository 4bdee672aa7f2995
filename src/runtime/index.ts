// The runtime's public API: what generated code (and people using recspec as a library) import.
// Start-up, the IR-driven pipeline (data → model → train → evaluate), the two model families, and
// the lower-level modules they are built from.
// TensorFlow.js itself, so generated programs need no import path of their own for it.
export * as tf from "@tensorflow/tfjs-core";
export { Rng } from "./random.js";
export { startRuntime, type StartOptions, type RuntimeInfo } from "./setup.js";
export { selectBackend, BACKEND_NAMES, type SelectedBackend } from "./backend/select-backend.js";
export { ensureGradients } from "./backend/register-gradients.js";
export { stopGradient, sliceAxis, sliceLast, safeCumsum, matMulLast } from "./backend/ops.js";
export * from "./pipeline/index.js";
export * from "./models/index.js";
export * from "./data/index.js";
export * from "./layers/index.js";
export * from "./train/index.js";
export * from "./weighting/index.js";
export { softmaxCrossEntropy, softmaxCrossEntropyPerExample, type SoftmaxCrossEntropyOptions } from "./losses/softmax-cross-entropy.js";
export { inBatchSoftmaxLoss, inBatchSoftmaxFromScores, type InBatchSoftmaxOptions } from "./losses/sampled-softmax.js";
export * from "./losses/bce.js";
export * from "./losses/kd.js";
export * from "./losses/gbce.js";
export * from "./losses/gbce-sampled.js";
export { SemanticIdRetrieval, type Seq2SeqDecoding, type RetrievalSettings, type DecodeStats, type RankedItems } from "./decode/semantic-id-retrieval.js";
export * from "./eval/top-k.js";
export * from "./eval/metrics.js";
export * from "./eval/slices.js";
export * from "./eval/bootstrap.js";
export * from "./eval/popularity-baseline.js";
export * from "./eval/item-knn.js";
export * from "./eval/evaluate.js";
export * from "./ranking/index.js";
export * from "./quantizers/index.js";
export * from "./features/index.js";
export * from "./distill/index.js";
export * from "./program/index.js";
export { listRuns, type ListedRun, type ListedStatus } from "./runs/list-runs.js";
export { readManifest, readRunIr, type RunManifest, type RunAttempt, type RunStatus } from "./runs/manifest.js";
export { diffConfigs, type ConfigDiff } from "./runs/config-diff.js";
export * from "./errors/index.js";
export * from "./recommend/index.js";
// The IR's own types for the settings the compiler writes as literals (one contract: src/ir).
export type {
  IREvaluation,
  TrainAttributes,
  OptimizerOption,
  ScheduleOption,
  SliceOption,
  CandidatesOption,
  BaselineOption,
  Metric,
  MetricName,
} from "../ir/index.js";
export * from "./export/index.js";
