// The stages a generated program calls around the models it builds: split the data it read, train
// a model (or restore its trained weights), evaluate it. Each takes the settings the compiler wrote
// as literals and the run, and keeps what the report needs on the run.
import { join } from "node:path";
import type { RecModel } from "../models/rec-model.js";
import { evaluateModel, formatEvaluation, splitName, type EvaluationResult } from "../pipeline/evaluate-model.js";
import { EvaluationProgress } from "../pipeline/evaluation-progress.js";
import { loadModel, modelDir } from "../pipeline/model-weights.js";
import { prepareInteractions, type LoadedInteractions, type PreparedData, type SplitOptions } from "../pipeline/prepare-data.js";
import type { IREvaluation, TrainAttributes } from "../../ir/index.js";
import { trainModel, type TrainModelResult } from "../pipeline/train-model.js";
import { sharedCopy, sharedSummary, shareTrained } from "./shared-blocks.js";
import { trainWithIdw, type IdwTraining } from "./stages-idw.js";
import type { WeightedModel } from "../weighting/weighted-model.js";
import type { PairwiseRanker } from "../ranking/ranker.js";
import { evaluateRanking } from "../ranking/evaluate-ranking.js";
import type { Run } from "./run.js";
import { warnRun } from "./run-warnings.js";

/** Training summaries by model name, for the report and the final summary line. */
const trainingByRun = new WeakMap<Run, Map<string, TrainModelResult>>();

export function trainingSummaries(run: Run): ReadonlyMap<string, TrainModelResult> {
  return trainingByRun.get(run) ?? new Map();
}

/**
 * Splits a data set the generated loader read (prepare-data.ts) and logs its size. The split counts
 * are sequences (one per user, or per window with temporal_window); what an epoch iterates depends
 * on the model and is logged when it trains (train-model.ts).
 */
export function prepareData(run: Run, name: string, loaded: LoadedInteractions, options: SplitOptions): PreparedData {
  const started = performance.now();
  const data = prepareInteractions(name, loaded, options);
  const s = data.split;
  run.log(
    `data ${name}: ${data.store.numUsers} users, ${data.numItems} items, ${data.store.numInteractions} interactions; ` +
      `${s.train.length} train / ${s.validation.length} validation / ${s.test.length} test ${data.splitType === "temporal_window" ? "windows" : "users"} ` +
      `(${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  for (const line of data.warnings ?? []) warnRun(run, line);
  return data;
}

function modelFolder(run: Run, name: string): string {
  return join(run.dir, name);
}

/** Trains a model as its `train { … }` settings say; with `run.resume`, from its last checkpoint. */
export async function trainBlock(
  run: Run,
  model: RecModel,
  data: PreparedData,
  train: TrainAttributes,
  options: { excludeHistory?: boolean; weighBatchesByTargets?: boolean; lengthBuckets?: boolean } = {},
): Promise<void> {
  await trainShared(run, model, () =>
    trainModel(model, data, train, {
      excludeHistory: options.excludeHistory,
      weighBatchesByTargets: options.weighBatchesByTargets,
      lengthBuckets: options.lengthBuckets,
      runDir: modelFolder(run, model.name),
      resume: run.resume,
      interruptible: true,
      log: run.log,
      progressStream: run.progress,
    }),
  );
}

/** A two-tower model trained in phases by iterative density weighting (then calibration). */
export async function trainWeightedBlock(run: Run, model: WeightedModel, data: PreparedData, train: TrainAttributes, idw: IdwTraining): Promise<void> {
  await trainShared(run, model, () => trainWithIdw(run, model, data, train, idw));
}

/**
 * Trains, unless an experiment cell with the same block and seed already did (then its weights are
 * reused), logs the summary and offers the result to later cells.
 */
async function trainShared(run: Run, model: RecModel, train: () => Promise<TrainModelResult>): Promise<void> {
  const name = model.name;
  const copy = sharedCopy(run.shared, name);
  if (copy !== null) {
    loadModel(model, copy);
    run.log(`${name}: trained weights reused from ${copy} (same block and seed in another cell)`);
    recordTraining(run, name, sharedSummary<TrainModelResult>(copy));
    return;
  }
  run.log(`training ${name} (${model.params.count().toLocaleString("en-US")} parameters)`);
  // A resume is announced by trainModel, with its step and epoch, before training continues.
  const result = await train();
  const best = result.bestValidation
    ? `, best validation ${result.bestValidation.metric} ${result.bestValidation.value.toFixed(4)} at epoch ${result.bestValidation.epoch + 1}`
    : "";
  run.log(
    `trained ${name}: ${result.steps} steps, ${result.epochs} epochs in ${result.seconds.toFixed(1)} s (${result.stepsPerSecond.toFixed(2)} steps/s)${best}`,
  );
  recordTraining(run, name, result);
  shareTrained(run.shared, name, modelDir(modelFolder(run, name)), result);
}

function recordTraining(run: Run, name: string, result: TrainModelResult): void {
  let byModel = trainingByRun.get(run);
  if (!byModel) trainingByRun.set(run, (byModel = new Map()));
  byModel.set(name, result);
}

/** Loads a model's trained weights from the run (for `recspec eval`). */
export async function restoreBlock(run: Run, model: RecModel): Promise<void> {
  loadModel(model, modelDir(modelFolder(run, model.name)));
  run.log(`restored ${model.name} from ${modelDir(modelFolder(run, model.name))}`);
}

/** Runs one `evaluate` block of a model that scores the catalogue, and prints its table beside the popularity baseline. */
export async function evaluateBlock(run: Run, model: RecModel, data: PreparedData, evaluation: IREvaluation): Promise<EvaluationResult> {
  const total = data.split[splitName(evaluation.split)].length;
  const progress = new EvaluationProgress({ stream: run.progress, label: `evaluating ${model.name} on ${data.name}.${evaluation.split}`, total });
  let result: EvaluationResult;
  try {
    result = await evaluateModel(model, data, evaluation, { onProgress: (done) => progress.update(done) });
  } finally {
    progress.end();
  }
  (run.results ?? run.log)(`\n${formatEvaluation(result)}`);
  return result;
}

/**
 * Runs one `evaluate` block of a ranking model (a distilled ranker passes its student): each target
 * is ranked among its candidates through the model's scorer, without materialising every user ×
 * item score, and AUC is known.
 */
export async function evaluateRankingBlock(run: Run, model: PairwiseRanker, data: PreparedData, evaluation: IREvaluation): Promise<EvaluationResult> {
  const result = await evaluateRanking(model, data, evaluation);
  (run.results ?? run.log)(`\n${formatEvaluation(result)}`);
  return result;
}
