/**
 * Generated from specs/quickstart.recspec by recspec. Edit freely and run with `recspec exec`; `recspec compile` regenerates it.
 * Makes every block of the spec and trains it, in dependency order.
 * recspec content hash: sha256:33f760e9756ce090 — recspec overwrites this file only while it is unedited
 */
import { trainBlock, type PreparedData, type RecModel, type Run } from "recspec/runtime";
import { SasrecModel, loadBeauty, sasrecTraining } from "./model.js";

/** The data sets, item features, quantizers and trained models of the spec. */
export interface Trained {
  readonly beauty: PreparedData;
  readonly sasrec: RecModel;
}

/** Trains from scratch, or continues from the last complete checkpoint when `run.resume` is set. */
export async function train(run: Run): Promise<Trained> {
  const beauty = await loadBeauty(run);
  const sasrec = new SasrecModel(beauty);
  // Batches of similar history length: each counts by its target positions, so every position weighs the same.
  await trainBlock(run, sasrec, beauty, sasrecTraining, {
    excludeHistory: true,
    weighBatchesByTargets: true,
  });
  return { beauty, sasrec };
}
