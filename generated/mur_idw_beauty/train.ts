/**
 * Generated from specs/mur_idw_beauty.recspec by recspec — do not edit (run `recspec compile` again).
 * Makes every block of the spec and trains it, in dependency order.
 */
import { trainBlock, type PreparedData, type RecModel, type Run } from "recspec/runtime";
import { buildMur, loadBeauty, specBlocks, type Blocks } from "./model.js";

/** The data sets, item features, quantizers and trained models of the spec. */
export interface Trained {
  readonly beauty: PreparedData;
  readonly mur: RecModel;
}

/** Trains from scratch, or continues from the last complete checkpoint when `run.resume` is set. */
export async function train(run: Run, blocks: Blocks = specBlocks): Promise<Trained> {
  const beauty = await loadBeauty(run, blocks);
  const mur = buildMur(blocks, beauty);
  await trainBlock(run, mur, beauty, blocks.mur);
  return { beauty, mur };
}
