/**
 * Generated from specs/distill.recspec by recspec. Edit freely and run with `recspec exec`; `recspec compile` regenerates it.
 * Restores a run's trained blocks and evaluates them.
 * recspec content hash: sha256:f4bce85ba61cee49 — recspec overwrites this file only while it is unedited
 */
import {
  evaluateBlock,
  restoreBlock,
  type EvaluationResult,
  type ProgramEvaluation,
  type Run,
} from "recspec/runtime";
import { TeacherModel, buildStudent, loadBeauty, specEvaluations } from "./model.js";
import { type Trained } from "./train.js";

/** Loads the data and every block's trained state from `run`'s folder. */
export async function restore(run: Run): Promise<Trained> {
  const beauty = await loadBeauty(run);
  const teacher = new TeacherModel(beauty);
  await restoreBlock(run, teacher);
  const student = buildStudent(beauty, teacher, run);
  await restoreBlock(run, student);
  return { beauty, teacher, student };
}

/** Runs every `evaluate` block of the spec (an experiment cell passes them with its report's metrics added). */
export async function evaluate(
  run: Run,
  trained: Trained,
  evaluations: ProgramEvaluation[] = specEvaluations,
): Promise<EvaluationResult[]> {
  const results: EvaluationResult[] = [];
  results.push(await evaluateBlock(run, trained.teacher, trained.beauty, evaluations[0]));
  results.push(await evaluateBlock(run, trained.student, trained.beauty, evaluations[1]));
  return results;
}
