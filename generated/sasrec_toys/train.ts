/**
 * Generated from specs/sasrec_toys.recspec by recspec. Edit freely and run with `recspec exec`; `recspec compile` regenerates it.
 * Makes every block of the spec and trains it, in dependency order.
 * recspec content hash: sha256:65300198ea1eae54 — recspec overwrites this file only while it is unedited
 */
import { trainBlock, type PreparedData, type RecModel, type Run } from "recspec/runtime";
import { SasrecModel, loadToys, sasrecTraining } from "./model.js";

/** The data sets, item features, quantizers and trained models of the spec. */
export interface Trained {
  readonly toys: PreparedData;
  readonly sasrec: RecModel;
}

/** Trains from scratch, or continues from the last complete checkpoint when `run.resume` is set. */
export async function train(run: Run): Promise<Trained> {
  const toys = await loadToys(run);
  const sasrec = new SasrecModel(toys);
  // Batches of similar history length: each counts by its target positions, so every position weighs the same.
  await trainBlock(run, sasrec, toys, sasrecTraining, {
    excludeHistory: true,
    weighBatchesByTargets: true,
  });
  return { toys, sasrec };
}
