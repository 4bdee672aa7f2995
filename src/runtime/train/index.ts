// Public API of the training module: the generic loop, optimizers, schedules, clipping, gradient
// accumulation, checkpoints, the metric log and progress output.
export { train, NonFiniteLossError, type StepContext, type EarlyStoppingConfig, type EpochInfo, type TrainOptions, type TrainResult } from "./train-loop.js";
export { createOptimizer, STEP_KEY, type Optimizer, type OptimizerConfig, type OptimizerName } from "./optimizers.js";
export { createSchedule, constantSchedule, inverseSqrtSchedule, cosineSchedule, type Schedule, type ScheduleConfig } from "./schedules.js";
export { clipByGlobalNorm, globalNorm, nonFiniteGradients, type ClipResult } from "./clip.js";
export { accumulateGradients, splitBatch, leadingSize, type WeightedPart, type BatchGradients } from "./grad-accumulation.js";
export {
  saveCheckpoint,
  loadCheckpoint,
  listCheckpoints,
  latestCheckpoint,
  saveWeights,
  loadWeights,
  MODEL_FILE,
  WEIGHTS_FILE,
  type CheckpointData,
  type SaveCheckpointOptions,
} from "./checkpoint.js";
export { MetricsLog, readMetrics, truncateMetrics, METRICS_FILE, type MetricEntry } from "./metrics-log.js";
export { Progress, duration, type ProgressStream, type ProgressOptions, type EpochSummary } from "./progress.js";
export { SIGNAL_EXIT, TrainingInterrupted, watchInterrupts, type InterruptWatch, type StopSignal } from "./interrupt.js";
