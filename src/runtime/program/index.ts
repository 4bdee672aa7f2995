// What generated programs call: a run's start and end, and one stage per kind of step.
export { startRun, latestRun, type Run } from "./run.js";
export { finishRun } from "./finish-run.js";
export { loadData, buildSequential, buildTwoTower, buildRankingModel, trainBlock, restoreBlock, evaluateBlock, trainingSummaries } from "./stages.js";
export { loadFeatures, buildQuantizer, trainQuantizer, restoreQuantizer, buildGenerative, type ItemFeatures, type Quantizer, type SemanticIdTable } from "./stages-tiger.js";
export { buildDistill, analyzeDistill } from "./stages-distill.js";
export { cells, cellRun, evaluationsFor, meanInterval, summarize, formatExperiment, writeExperiment, type ExperimentSpec, type CellResult } from "./experiment.js";
export { resolveDataPath, PACKAGE_ROOT } from "./resolve-data-path.js";
export type { BlockSpec, EvaluationSpec as ProgramEvaluation, RunOptions } from "./types.js";
