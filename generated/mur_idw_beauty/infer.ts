/**
 * Generated from specs/mur_idw_beauty.recspec by recspec — do not edit (run `recspec compile` again).
 * Restores a run's trained blocks and evaluates them.
 */
import {
  evaluateBlock,
  restoreBlock,
  type EvaluationResult,
  type ProgramEvaluation,
  type Run,
} from "recspec/runtime";
import { buildMur, loadBeauty, specBlocks, specEvaluations, type Blocks } from "./model.js";
import { type Trained } from "./train.js";

/** Loads the data and every block's trained state from `run`'s folder. */
export async function restore(run: Run, blocks: Blocks = specBlocks): Promise<Trained> {
  const beauty = await loadBeauty(run, blocks);
  const mur = buildMur(blocks, beauty);
  await restoreBlock(run, mur, blocks.mur);
  return { beauty, mur };
}

/** Runs every `evaluate` block of the spec (or the variants an experiment passes). */
export async function evaluate(
  run: Run,
  trained: Trained,
  evaluations: ProgramEvaluation[] = specEvaluations,
): Promise<EvaluationResult[]> {
  const results: EvaluationResult[] = [];
  results.push(await evaluateBlock(run, trained.mur, trained.beauty, evaluations[0]));
  return results;
}
