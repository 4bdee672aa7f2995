/**
 * Generated from specs/sid_ranking.recspec by recspec. Edit freely and run with `recspec exec`; `recspec compile` regenerates it.
 * Restores a run's trained blocks and evaluates them.
 * recspec content hash: sha256:bf7b77e8402047b9 — recspec overwrites this file only while it is unedited
 */
import {
  evaluateRankingBlock,
  restoreBlock,
  restoreQuantizer,
  type EvaluationResult,
  type ProgramEvaluation,
  type Run,
} from "recspec/runtime";
import {
  RankerModel,
  buildSid,
  loadBeauty,
  loadContent,
  sidConfig,
  specEvaluations,
} from "./model.js";
import { type Trained } from "./train.js";

/** Loads the data and every block's trained state from `run`'s folder. */
export async function restore(run: Run): Promise<Trained> {
  const beauty = await loadBeauty(run);
  const content = await loadContent(run, beauty);
  const sid = buildSid(beauty, content);
  await restoreQuantizer(run, sid, sidConfig);
  const ranker = new RankerModel(beauty, sid);
  await restoreBlock(run, ranker);
  return { beauty, content, sid, ranker };
}

/** Runs every `evaluate` block of the spec (an experiment cell passes them with its report's metrics added). */
export async function evaluate(
  run: Run,
  trained: Trained,
  evaluations: ProgramEvaluation[] = specEvaluations,
): Promise<EvaluationResult[]> {
  const results: EvaluationResult[] = [];
  results.push(await evaluateRankingBlock(run, trained.ranker, trained.beauty, evaluations[0]));
  return results;
}
