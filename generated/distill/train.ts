/**
 * Generated from specs/distill.recspec by recspec. Edit freely and run with `recspec exec`; `recspec compile` regenerates it.
 * Makes every block of the spec and trains it, in dependency order.
 * recspec content hash: sha256:3b5ded433e5069dc — recspec overwrites this file only while it is unedited
 */
import {
  analyzeDistill,
  trainBlock,
  type DistillModel,
  type PreparedData,
  type RecModel,
  type Run,
} from "recspec/runtime";
import {
  TeacherModel,
  buildStudent,
  loadBeauty,
  studentTraining,
  teacherTraining,
} from "./model.js";

/** The data sets, item features, quantizers and trained models of the spec. */
export interface Trained {
  readonly beauty: PreparedData;
  readonly teacher: RecModel;
  readonly student: DistillModel;
}

/** Trains from scratch, or continues from the last complete checkpoint when `run.resume` is set. */
export async function train(run: Run): Promise<Trained> {
  const beauty = await loadBeauty(run);
  const teacher = new TeacherModel(beauty);
  // Batches of similar history length: each counts by its target positions, so every position weighs the same.
  await trainBlock(run, teacher, beauty, teacherTraining, { weighBatchesByTargets: true });
  const student = await buildStudent(beauty, teacher, run);
  // Batches of similar history length: each counts by its target positions, so every position weighs the same.
  await trainBlock(run, student, beauty, studentTraining, { weighBatchesByTargets: true });
  await analyzeDistill(run, student, beauty, { seed: 0 });
  return { beauty, teacher, student };
}
