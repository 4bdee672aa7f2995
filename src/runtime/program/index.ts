// What generated programs call: a run's start and end, and one stage per kind of step.
export { startRun, latestRun, type Run } from "./run.js";
export { finishRun } from "./finish-run.js";
export { endRun, endOpenRuns, type RunRecordOptions } from "./run.js";
export { prepareData, trainBlock, trainWeightedBlock, restoreBlock, evaluateBlock, evaluateRankingBlock, trainingSummaries } from "./stages.js";
export { precomputeTeacher, analyzeDistill, loadTeacherCheckpoint } from "./stages-distill.js";
export type { IdwTraining } from "./stages-idw.js";
export { cells, cellRun, meanInterval, summarize, formatExperiment, writeExperiment, type ExperimentSpec, type CellResult } from "./experiment.js";
export { resolveDataPath, PACKAGE_ROOT } from "./resolve-data-path.js";
export { filterData } from "./filter-stage.js";
export { runIfMain, runScript } from "./script-entry.js";
export { programSpecDir } from "./program-spec-dir.js";
export type { RunOptions } from "./types.js";
