/**
 * Generated from specs/mur_idw.recspec by recspec. Edit freely and run with `recspec exec`; `recspec compile` regenerates it.
 * Makes every block of the spec and trains it, in dependency order.
 * recspec content hash: sha256:c2169a6b79eee471 — recspec overwrites this file only while it is unedited
 */
import { trainWeightedBlock, type PreparedData, type RecModel, type Run } from "recspec/runtime";
import { MurModel, loadSynth, murTraining, murWeighting } from "./model.js";

/** The data sets, item features, quantizers and trained models of the spec. */
export interface Trained {
  readonly synth: PreparedData;
  readonly mur: RecModel;
}

/** Trains from scratch, or continues from the last complete checkpoint when `run.resume` is set. */
export async function train(run: Run): Promise<Trained> {
  const synth = await loadSynth(run);
  const mur = new MurModel(synth);
  await trainWeightedBlock(run, mur, synth, murTraining, murWeighting);
  return { synth, mur };
}
