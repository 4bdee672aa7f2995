/**
 * Generated from specs/distill.recspec by recspec — do not edit (run `recspec compile` again).
 * Restores trained models from a run and evaluates them.
 */
import {
  restoreBlock,
  unsupported,
  type EvaluationResult,
  type ProgramEvaluation,
  type Run,
} from "recspec/runtime";
import { buildTeacher, loadBeauty, specBlocks, specEvaluations, type Blocks } from "./model.js";
import { type Trained } from "./train.js";

/** Loads the data and every model's trained weights from `run`'s checkpoints. */
export async function restore(run: Run, blocks: Blocks = specBlocks): Promise<Trained> {
  const beauty = await loadBeauty(run, blocks);
  const teacher = buildTeacher(blocks, beauty);
  await restoreBlock(run, teacher, blocks.teacher);
  unsupported(blocks.student, "knowledge distillation is not implemented yet");
  return { beauty, teacher };
}

/** Runs every `evaluate` block of the spec (or the variants an experiment passes). */
export async function evaluate(
  run: Run,
  trained: Trained,
  evaluations: ProgramEvaluation[] = specEvaluations,
): Promise<EvaluationResult[]> {
  const results: EvaluationResult[] = [];
  return results;
}
