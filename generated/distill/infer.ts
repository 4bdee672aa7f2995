/**
 * Generated from specs/distill.recspec by recspec — do not edit (run `recspec compile` again).
 * Restores trained models from a run and evaluates them.
 */
import { restoreBlock, unsupported, type EvaluationResult, type Run } from "recspec/runtime";
import { buildTeacher, loadBeauty, studentConfig, teacherConfig } from "./model.js";
import { type Trained } from "./train.js";

/** Loads the data and every model's trained weights from `run`'s checkpoints. */
export async function restore(run: Run): Promise<Trained> {
  const beauty = await loadBeauty(run);
  const teacher = buildTeacher(beauty);
  await restoreBlock(run, teacher, teacherConfig);
  unsupported(studentConfig, "knowledge distillation is not implemented yet");
  return { beauty, teacher };
}

/** Runs every `evaluate` block of the spec on its test split. */
export async function evaluate(run: Run, trained: Trained): Promise<EvaluationResult[]> {
  const results: EvaluationResult[] = [];
  return results;
}
