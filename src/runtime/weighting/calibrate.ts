// User-tower calibration after IDW (`calibrate: user_tower`, PAPERS.md §1). Takes a trained
// two-tower model, the prepared data, the block's train spec and trainModel's options; freezes the
// item tower (only `user_tower/…` variables train), puts the natural per-example weights back
// (every example weighs 1) and fine-tunes at lr/10 with a fresh optimizer, early stopping on the
// validation loss under those natural weights, so the user interests re-fit their real
// frequencies while the density-balanced item space stays as IDW left it.
import type { PreparedData } from "../pipeline/prepare-data.js";
import type { TrainAttributes } from "../../ir/index.js";
import { trainModel, type TrainModelOptions, type TrainModelResult } from "../pipeline/train-model.js";
import type { WeightedModel } from "./weighted-model.js";

/** The ParamStore scope of the user tower (two-tower models build it as params.scope("user_tower")). */
export const USER_TOWER_SCOPE = "user_tower/";

/** Whether a variable belongs to the user tower. */
export function isUserTowerVariable(name: string): boolean {
  return name.startsWith(USER_TOWER_SCOPE);
}

/**
 * The calibration's train spec: the block's, at a tenth of its learning rate, for up to its epochs
 * (10 when it counts steps instead), with early stopping on validation loss.
 */
export function calibrationSpec(spec: TrainAttributes): TrainAttributes {
  return {
    ...spec,
    optimizer: { ...spec.optimizer, lr: spec.optimizer.lr / 10 },
    epochs: spec.epochs ?? 10,
    steps: null,
    early_stop: { metric: "loss", k: null },
  };
}

/** Fine-tunes only the user tower (see the header); the item tower's variables do not change. */
export async function calibrateUserTower(
  model: WeightedModel,
  data: PreparedData,
  spec: TrainAttributes,
  options: TrainModelOptions,
): Promise<TrainModelResult> {
  const names = [...model.params.variables().keys()];
  if (!names.some(isUserTowerVariable)) throw new Error(`model ${model.name}: no user-tower variables to calibrate`);
  model.setItemWeights(null);
  // A fresh optimizer at lr/10 (a kept one would carry IDW-phase moments of the item tower too).
  const fresh: TrainModelOptions = { ...options, trainable: isUserTowerVariable };
  delete fresh.optimizer;
  return trainModel(model, data, calibrationSpec(spec), fresh);
}
