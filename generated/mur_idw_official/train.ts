/**
 * Generated from specs/mur_idw_official.recspec by recspec. Edit freely and run with `recspec exec`; `recspec compile` regenerates it.
 * Makes every block of the spec and trains it, in dependency order.
 * recspec content hash: sha256:36f7df99d8b6f4b1 — recspec overwrites this file only while it is unedited
 */
import { trainBlock, type PreparedData, type RecModel, type Run } from "recspec/runtime";
import { MurModel, loadSynth, murTraining } from "./model.js";

/** The data sets, item features, quantizers and trained models of the spec. */
export interface Trained {
  readonly synth: PreparedData;
  readonly mur: RecModel;
}

/** Trains from scratch, or continues from the last complete checkpoint when `run.resume` is set. */
export async function train(run: Run): Promise<Trained> {
  const synth = await loadSynth(run);
  const mur = new MurModel(synth);
  await trainBlock(run, mur, synth, murTraining);
  return { synth, mur };
}
