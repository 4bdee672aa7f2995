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
  buildLshSid,
  buildRandomSid,
  buildSasrec,
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
  const randomSid = buildRandomSid(blocks, beauty);
  await restoreQuantizer(run, randomSid, blocks.randomSid);
  const lshSid = buildLshSid(blocks, beauty, content);
  await restoreQuantizer(run, lshSid, blocks.lshSid);
  const tiger = buildTiger(blocks, beauty, sid, randomSid, lshSid);
  await restoreBlock(run, tiger, blocks.tiger);
  const sasrec = buildSasrec(blocks, beauty);
  await restoreBlock(run, sasrec, blocks.sasrec);
  return { beauty, content, sid, randomSid, lshSid, tiger, sasrec };
}

/** Runs every `evaluate` block of the spec (or the variants an experiment passes). */
export async function evaluate(
  run: Run,
  trained: Trained,
  evaluations: ProgramEvaluation[] = specEvaluations,
): Promise<EvaluationResult[]> {
  const results: EvaluationResult[] = [];
  results.push(await evaluateBlock(run, trained.tiger, trained.beauty, evaluations[0]));
  results.push(await evaluateBlock(run, trained.sasrec, trained.beauty, evaluations[1]));
  return results;
}
