/**
 * Generated from specs/distill.recspec by recspec — do not edit (run `recspec compile` again).
 * Makes every block of the spec and trains it, in dependency order.
 */
import {
  analyzeDistill,
  trainBlock,
  type PreparedData,
  type RecModel,
  type Run,
} from "recspec/runtime";
import { buildStudent, buildTeacher, loadBeauty, specBlocks, type Blocks } from "./model.js";

/** The data sets, item features, quantizers and trained models of the spec. */
export interface Trained {
  readonly beauty: PreparedData;
  readonly teacher: RecModel;
  readonly student: RecModel;
}

/** Trains from scratch, or continues from the last complete checkpoint when `run.resume` is set. */
export async function train(run: Run, blocks: Blocks = specBlocks): Promise<Trained> {
  const beauty = await loadBeauty(run, blocks);
  const teacher = buildTeacher(blocks, beauty);
  await trainBlock(run, teacher, beauty, blocks.teacher);
  const student = buildStudent(blocks, beauty, teacher, run);
  await trainBlock(run, student, beauty, blocks.student);
  await analyzeDistill(run, student, beauty, blocks.student);
  return { beauty, teacher, student };
}
