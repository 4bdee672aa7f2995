/**
 * Generated from specs/distill.recspec by recspec — do not edit (run `recspec compile` again).
 * Loads the data and trains every model of the spec, in dependency order.
 */
import {
  trainBlock,
  unsupported,
  type PreparedData,
  type RecModel,
  type Run,
} from "recspec/runtime";
import { buildTeacher, loadBeauty, specBlocks, type Blocks } from "./model.js";

/** The data sets and trained models of the spec. */
export interface Trained {
  readonly beauty: PreparedData;
  readonly teacher: RecModel;
}

/** Trains from scratch, or continues from the last complete checkpoint when `run.resume` is set. */
export async function train(run: Run, blocks: Blocks = specBlocks): Promise<Trained> {
  const beauty = await loadBeauty(run, blocks);
  const teacher = buildTeacher(blocks, beauty);
  await trainBlock(run, teacher, beauty, blocks.teacher);
  unsupported(blocks.student, "knowledge distillation is not implemented yet");
  return { beauty, teacher };
}
