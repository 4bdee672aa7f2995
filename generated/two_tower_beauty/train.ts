/**
 * Generated from specs/two_tower_beauty.recspec by recspec. Edit freely and run with `recspec exec`; `recspec compile` regenerates it.
 * Makes every block of the spec and trains it, in dependency order.
 * recspec content hash: sha256:45654f27049bad9c — recspec overwrites this file only while it is unedited
 */
import { trainBlock, type PreparedData, type RecModel, type Run } from "recspec/runtime";
import { RetrievalModel, loadBeauty, retrievalTraining } from "./model.js";

/** The data sets, item features, quantizers and trained models of the spec. */
export interface Trained {
  readonly beauty: PreparedData;
  readonly retrieval: RecModel;
}

/** Trains from scratch, or continues from the last complete checkpoint when `run.resume` is set. */
export async function train(run: Run): Promise<Trained> {
  const beauty = await loadBeauty(run);
  const retrieval = new RetrievalModel(beauty);
  await trainBlock(run, retrieval, beauty, retrievalTraining, { excludeHistory: true });
  return { beauty, retrieval };
}
