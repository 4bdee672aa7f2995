/**
 * Generated from specs/mur_idw_beauty.recspec by recspec. Edit freely and run with `recspec exec`; `recspec compile` regenerates it.
 * Restores a run's trained blocks and evaluates them.
 * recspec content hash: sha256:29f494e291a54dd8 — recspec overwrites this file only while it is unedited
 */
import {
  evaluateBlock,
  restoreBlock,
  type EvaluationResult,
  type ProgramEvaluation,
  type Run,
} from "recspec/runtime";
import { MurModel, loadBeauty, specEvaluations } from "./model.js";
import { type Trained } from "./train.js";

/** Loads the data and every block's trained state from `run`'s folder. */
export async function restore(run: Run): Promise<Trained> {
  const beauty = await loadBeauty(run);
  const mur = new MurModel(beauty);
  await restoreBlock(run, mur);
  return { beauty, mur };
}

/** Runs every `evaluate` block of the spec (an experiment cell passes them with its report's metrics added). */
export async function evaluate(
  run: Run,
  trained: Trained,
  evaluations: ProgramEvaluation[] = specEvaluations,
): Promise<EvaluationResult[]> {
  const results: EvaluationResult[] = [];
  results.push(await evaluateBlock(run, trained.mur, trained.beauty, evaluations[0]));
  return results;
}
