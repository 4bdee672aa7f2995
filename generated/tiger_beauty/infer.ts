/**
 * Generated from specs/tiger_beauty.recspec by recspec. Edit freely and run with `recspec exec`; `recspec compile` regenerates it.
 * Restores a run's trained blocks and evaluates them.
 * recspec content hash: sha256:1feeb867248eab3d — recspec overwrites this file only while it is unedited
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
  SasrecModel,
  TigerModel,
  buildLshSid,
  buildRandomSid,
  buildSid,
  loadBeauty,
  loadContent,
  lshSidConfig,
  randomSidConfig,
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
  const randomSid = buildRandomSid(beauty);
  await restoreQuantizer(run, randomSid, randomSidConfig);
  const lshSid = buildLshSid(beauty, content);
  await restoreQuantizer(run, lshSid, lshSidConfig);
  const tiger = new TigerModel(beauty, sid);
  await restoreBlock(run, tiger);
  const sasrec = new SasrecModel(beauty);
  await restoreBlock(run, sasrec);
  return { beauty, content, sid, randomSid, lshSid, tiger, sasrec };
}

/** Runs every `evaluate` block of the spec (an experiment cell passes them with its report's metrics added). */
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
