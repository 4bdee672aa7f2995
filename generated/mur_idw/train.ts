/**
 * Generated from specs/mur_idw.recspec by recspec — do not edit (run `recspec compile` again).
 * Loads the data and trains every model of the spec, in dependency order.
 */
import { trainBlock, type PreparedData, type RecModel, type Run } from "recspec/runtime";
import { buildMur, loadSynth, murConfig } from "./model.js";

/** The data sets and trained models of the spec. */
export interface Trained {
  readonly synth: PreparedData;
  readonly mur: RecModel;
}

/** Trains from scratch, or continues from the last complete checkpoint when `run.resume` is set. */
export async function train(run: Run): Promise<Trained> {
  const synth = await loadSynth(run);
  const mur = buildMur(synth);
  await trainBlock(run, mur, synth, murConfig);
  return { synth, mur };
}
