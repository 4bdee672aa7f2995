// The stages a generated program calls, one per kind of step: load a data set, build a model from
// its block, train it (or restore its trained weights), evaluate it. Each takes the IR data the
// compiler emitted and the run, and keeps what the report needs on the run.
import { join } from "node:path";
import type { RecModel } from "../models/rec-model.js";
import { sequentialModel } from "../models/sequential.js";
import { twoTowerModel } from "../models/two-tower.js";
import type { ModelBlock, SequentialConfig, TwoTowerConfig } from "../models/config.js";
import { evaluateModel, formatEvaluation, type EvaluationResult } from "../pipeline/evaluate-model.js";
import { loadModel, modelDir } from "../pipeline/model-weights.js";
import { prepareDataset, type PreparedData } from "../pipeline/prepare-data.js";
import type { DatasetSpec, EvaluationSpec as PipelineEvaluation, TrainSpec } from "../pipeline/specs.js";
import { trainModel, type TrainModelResult } from "../pipeline/train-model.js";
import { resolveDataPath } from "./resolve-data-path.js";
import { sharedCopy, sharedSummary, shareTrained } from "./shared-blocks.js";
import { trainWithWeighting } from "./stages-idw.js";
import { buildRanking } from "./stages-ranking.js";
import { RankingModel } from "../ranking/ranking-model.js";
import { RankingDistillModel } from "../distill/ranking-distill.js";
import { evaluateRanking } from "../ranking/evaluate-ranking.js";
import type { ItemFeatures, Quantizer } from "./stages-tiger.js";
import type { Run } from "./run.js";
import type { BlockSpec, EvaluationSpec } from "./types.js";

/** Training summaries by model name, for the report and the final summary line. */
const trainingByRun = new WeakMap<Run, Map<string, TrainModelResult>>();

export function trainingSummaries(run: Run): ReadonlyMap<string, TrainModelResult> {
  return trainingByRun.get(run) ?? new Map();
}

/** Reads and splits a `dataset` block; its `dir`/`path` is found as resolve-data-path.ts says. */
export async function loadData(run: Run, block: BlockSpec): Promise<PreparedData> {
  const attributes = { ...block.attributes };
  for (const key of ["dir", "path"]) {
    if (typeof attributes[key] === "string") attributes[key] = resolveDataPath(attributes[key] as string, run.specDir);
  }
  const started = performance.now();
  const data = await prepareDataset({ name: block.name, type: block.type as DatasetSpec["type"], attributes }, { baseDir: run.specDir });
  const s = data.split;
  run.log(
    `data ${block.name}: ${data.store.numUsers} users, ${data.numItems} items, ${data.store.numInteractions} interactions; ` +
      `${s.train.length} train / ${s.validation.length} validation / ${s.test.length} test examples ` +
      `(${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  return data;
}

/** `model … = sequential(…)`: SASRec-style next-item model. */
export function buildSequential(block: BlockSpec, data: PreparedData): RecModel {
  return sequentialModel(block as unknown as ModelBlock<SequentialConfig>, data);
}

/** `model … = two_tower(users, items)` with its two tower blocks. */
export function buildTwoTower(block: BlockSpec, towers: { user: BlockSpec; item: BlockSpec }, data: PreparedData): RecModel {
  const tower = (b: BlockSpec) => ({ type: b.type, attributes: b.attributes }) as never;
  return twoTowerModel(block as unknown as ModelBlock<TwoTowerConfig>, { user: tower(towers.user), item: tower(towers.item) }, data);
}

function blockDir(run: Run, block: BlockSpec): string {
  return join(run.dir, block.name);
}

/** Trains a model as its block's `train { … }` says; with `run.resume`, from its last checkpoint. */
export async function trainBlock(run: Run, model: RecModel, data: PreparedData, block: BlockSpec): Promise<void> {
  if (!block.train) throw new Error(`internal: ${block.name} has no train block`);
  const copy = sharedCopy(run.shared, block.name);
  if (copy !== null) {
    loadModel(model, copy);
    run.log(`${block.name}: trained weights reused from ${copy} (same block and seed in another cell)`);
    recordTraining(run, block.name, sharedSummary<TrainModelResult>(copy));
    return;
  }
  run.log(`training ${block.name} (${model.params.count().toLocaleString("en-US")} parameters)`);
  // Iterative density weighting trains in phases (initial, reweighting iterations, calibration).
  const weighting = (block.attributes.weighting as { type?: string } | undefined)?.type;
  const result =
    block.type === "two_tower" && weighting === "idw"
      ? await trainWithWeighting(run, model, data, block)
      : await trainModel(model, data, block.train as unknown as TrainSpec, {
          runDir: blockDir(run, block),
          resume: run.resume,
          log: run.log,
          progressStream: run.progress as never,
        });
  if (result.resumedFrom) run.log(`${block.name}: resumed from ${result.resumedFrom}`);
  const best = result.bestValidation ? `, best validation ${result.bestValidation.metric} ${result.bestValidation.value.toFixed(4)} at epoch ${result.bestValidation.epoch + 1}` : "";
  run.log(`trained ${block.name}: ${result.steps} steps, ${result.epochs} epochs in ${result.seconds.toFixed(1)} s (${result.stepsPerSecond.toFixed(2)} steps/s)${best}`);
  recordTraining(run, block.name, result);
  shareTrained(run.shared, block.name, modelDir(blockDir(run, block)), result);
}

function recordTraining(run: Run, name: string, result: TrainModelResult): void {
  let byModel = trainingByRun.get(run);
  if (!byModel) trainingByRun.set(run, (byModel = new Map()));
  byModel.set(name, result);
}

/** Loads a model's trained weights from the run (for `recspec eval`). */
export async function restoreBlock(run: Run, model: RecModel, block: BlockSpec): Promise<void> {
  loadModel(model, modelDir(blockDir(run, block)));
  run.log(`restored ${block.name} from ${modelDir(blockDir(run, block))}`);
}

/** Runs one `evaluate` block and prints its table (model beside the popularity baseline). */
export async function evaluateBlock(run: Run, model: RecModel, data: PreparedData, evaluation: EvaluationSpec): Promise<EvaluationResult> {
  // A ranking model scores (user, candidate) pairs through an MLP: its evaluator ranks each target
  // among its candidates (and knows AUC) without materialising every user × item score at once.
  // A distilled ranker is evaluated as its student, the network it trained.
  const ranker = model instanceof RankingDistillModel ? model.student : model;
  const result =
    ranker instanceof RankingModel
      ? await evaluateRanking(ranker, data, evaluation as unknown as PipelineEvaluation)
      : await evaluateModel(model, data, evaluation as unknown as PipelineEvaluation);
  run.log(`\n${formatEvaluation(result)}`);
  return result;
}

/**
 * `model … = ranking(…)`: the item representation the block names picks its Semantic IDs or content
 * vectors from the quantizers and feature sets at hand (an experiment may swap it).
 */
export function buildRankingModel(
  block: BlockSpec,
  data: PreparedData,
  available: { quantizers: Record<string, Quantizer>; features: Record<string, ItemFeatures> },
): RecModel {
  const item = block.attributes.item as { type: string; ids?: { ref: string }; features?: { ref: string } };
  const quantizer = item.ids ? available.quantizers[item.ids.ref] : undefined;
  if (item.ids && !quantizer?.table) throw new Error(`model ${block.name}: quantizer ${item.ids.ref} has no Semantic IDs (train or restore it first)`);
  const features = item.features ? available.features[item.features.ref] : undefined;
  return buildRanking(block, data, quantizer?.table ?? null, features ?? null);
}
