// What the weighting trainers (IDW phases, user-tower calibration) need of a two-tower model: a
// RecModel whose item tower embeds ids, with its training-target counts and a hook that replaces
// the per-example weights its loss reads. Takes nothing; gives the type.
import type { RecModel } from "../models/rec-model.js";
import type { IdwModel } from "./idw.js";

export interface WeightedModel extends RecModel, IdwModel {
  /** Per-item example weights (length N + 1, rescaled to mean 1); null: every example weighs 1. */
  setItemWeights(weights: Float32Array | null): void;
}
