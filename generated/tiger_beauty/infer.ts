/**
 * Generated from specs/tiger_beauty.recspec by recspec — do not edit (run `recspec compile` again).
 * Restores a run's trained blocks and evaluates them.
 */
import {
  evaluateBlock,
  restoreBlock,
  restoreQuantizer,
  type EvaluationResult,
  type ProgramEvaluation,
  type Run,
} from "recspec/runtime";
import {
  buildSid,
  buildTiger,
  loadBeauty,
  loadContent,
  specBlocks,
  specEvaluations,
  type Blocks,
} from "./model.js";
import { type Trained } from "./train.js";

/** Loads the data and every block's trained state from `run`'s folder. */
export async function restore(run: Run, blocks: Blocks = specBlocks): Promise<Trained> {
  const beauty = await loadBeauty(run, blocks);
  const content = await loadContent(run, blocks, beauty);
  const sid = buildSid(blocks, beauty, content);
  await restoreQuantizer(run, sid, blocks.sid);
  const tiger = buildTiger(blocks, beauty, sid);
  await restoreBlock(run, tiger, blocks.tiger);
  return { beauty, content, sid, tiger };
}

/** Runs every `evaluate` block of the spec (or the variants an experiment passes). */
export async function evaluate(
  run: Run,
  trained: Trained,
  evaluations: ProgramEvaluation[] = specEvaluations,
): Promise<EvaluationResult[]> {
  const results: EvaluationResult[] = [];
  results.push(await evaluateBlock(run, trained.tiger, trained.beauty, evaluations[0]));
  return results;
}
