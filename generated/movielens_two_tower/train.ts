/**
 * Generated from specs/movielens_two_tower.recspec by recspec. Edit freely and run with `recspec exec`; `recspec compile` regenerates it.
 * Makes every block of the spec and trains it, in dependency order.
 * recspec content hash: sha256:c40276b0adce01a3 — recspec overwrites this file only while it is unedited
 */
import { trainBlock, type PreparedData, type RecModel, type Run } from "recspec/runtime";
import {
  MfBprModel,
  MfSoftmaxModel,
  TwoTowerFeaturesModel,
  TwoTowerIdsModel,
  loadMl,
  mfBprTraining,
  mfSoftmaxTraining,
  twoTowerFeaturesTraining,
  twoTowerIdsTraining,
} from "./model.js";

/** The data sets, item features, quantizers and trained models of the spec. */
export interface Trained {
  readonly ml: PreparedData;
  readonly twoTowerIds: RecModel;
  readonly twoTowerFeatures: RecModel;
  readonly mfBpr: RecModel;
  readonly mfSoftmax: RecModel;
}

/** Trains from scratch, or continues from the last complete checkpoint when `run.resume` is set. */
export async function train(run: Run): Promise<Trained> {
  const ml = await loadMl(run);
  const twoTowerIds = new TwoTowerIdsModel(ml);
  await trainBlock(run, twoTowerIds, ml, twoTowerIdsTraining, { excludeHistory: true });
  const twoTowerFeatures = new TwoTowerFeaturesModel(ml);
  await trainBlock(run, twoTowerFeatures, ml, twoTowerFeaturesTraining, { excludeHistory: true });
  const mfBpr = new MfBprModel(ml);
  await trainBlock(run, mfBpr, ml, mfBprTraining, { excludeHistory: true });
  const mfSoftmax = new MfSoftmaxModel(ml);
  await trainBlock(run, mfSoftmax, ml, mfSoftmaxTraining, { excludeHistory: true });
  return { ml, twoTowerIds, twoTowerFeatures, mfBpr, mfSoftmax };
}
