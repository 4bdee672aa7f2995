// What generated programs call: a run's start and end, and one stage per kind of step.
export { startRun, latestRun, type Run } from "./run.js";
export { finishRun } from "./finish-run.js";
export { loadData, buildSequential, buildTwoTower, trainBlock, restoreBlock, evaluateBlock, trainingSummaries } from "./stages.js";
export { unsupported, UnsupportedBlockError } from "./unsupported.js";
export { resolveDataPath, PACKAGE_ROOT } from "./resolve-data-path.js";
export type { BlockSpec, EvaluationSpec as ProgramEvaluation, RunOptions } from "./types.js";
