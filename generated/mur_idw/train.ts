/**
 * Generated from specs/mur_idw.recspec by recspec — do not edit (run `recspec compile` again).
 * Makes every block of the spec and trains it, in dependency order.
 */
import { trainBlock, type PreparedData, type RecModel, type Run } from "recspec/runtime";
import { buildMur, loadSynth, specBlocks, type Blocks } from "./model.js";

/** The data sets, item features, quantizers and trained models of the spec. */
export interface Trained {
  readonly synth: PreparedData;
  readonly mur: RecModel;
}

/** Trains from scratch, or continues from the last complete checkpoint when `run.resume` is set. */
export async function train(run: Run, blocks: Blocks = specBlocks): Promise<Trained> {
  const synth = await loadSynth(run, blocks);
  const mur = buildMur(blocks, synth);
  await trainBlock(run, mur, synth, blocks.mur);
  return { synth, mur };
}
