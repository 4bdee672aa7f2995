/**
 * Generated from specs/two_tower_beauty.recspec by recspec — do not edit (run `recspec compile` again).
 * Restores trained models from a run and evaluates them.
 */
import { evaluateBlock, restoreBlock, type EvaluationResult, type Run } from "recspec/runtime";
import { buildRetrieval, evaluations, loadBeauty, retrievalConfig } from "./model.js";
import { type Trained } from "./train.js";

/** Loads the data and every model's trained weights from `run`'s checkpoints. */
export async function restore(run: Run): Promise<Trained> {
  const beauty = await loadBeauty(run);
  const retrieval = buildRetrieval(beauty);
  await restoreBlock(run, retrieval, retrievalConfig);
  return { beauty, retrieval };
}

/** Runs every `evaluate` block of the spec on its test split. */
export async function evaluate(run: Run, trained: Trained): Promise<EvaluationResult[]> {
  const results: EvaluationResult[] = [];
  results.push(await evaluateBlock(run, trained.retrieval, trained.beauty, evaluations[0]));
  return results;
}
