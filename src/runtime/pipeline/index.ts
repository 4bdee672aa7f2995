// Public API of the pipeline: data preparation, training and evaluation driven by IR objects.
export { prepareInteractions, drawColdItems, type LoadedInteractions, type PreparedData, type SplitOptions, type SplitType } from "./prepare-data.js";
export { trainModel, optimizerConfig, scheduleConfig, validationSubset, validationLoss, type TrainModelOptions, type TrainModelResult } from "./train-model.js";
export {
  evaluateModel,
  formatEvaluation,
  rankingMetric,
  historiesOf,
  type EvaluationResult,
  type EvaluationRow,
  type EvaluateModelOptions,
} from "./evaluate-model.js";
export { bucketedBatches } from "./length-buckets.js";
export { saveModel, loadModel, modelDir } from "./model-weights.js";
export { DEFAULT_MEMORY_BUDGET, partsFor, splitBatchInto, describePlan } from "./micro-batches.js";
export { metricName } from "./metric-name.js";
export { EvaluationProgress, type EvaluationProgressOptions } from "./evaluation-progress.js";
