// Saving and loading a model's weights for inference, in the tfjs weights format (model.json +
// weights.bin, written atomically by train/checkpoint.ts). Takes a RecModel and a directory; the
// names are the model's parameter names, so a model built from the same spec loads them back.
// trainModel already leaves the final (best, with early stopping) weights in <runDir>/model; a
// folder without them is a NoRunError (RS6005), something to train rather than a bug.
import { existsSync } from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { NoRunError } from "../errors/no-run-error.js";
import type { RecModel } from "../models/rec-model.js";
import { loadWeights, MODEL_FILE, saveWeights } from "../train/checkpoint.js";

/** The directory trainModel writes a run's final weights to. */
export function modelDir(runDir: string): string {
  return path.join(runDir, "model");
}

export async function saveModel(model: RecModel, dir: string): Promise<void> {
  await saveWeights(dir, model.params.variables());
}

/** Assigns the saved weights to the model's parameters; names and shapes must match exactly. */
export function loadModel(model: RecModel, dir: string): void {
  // A run stopped before this model finished training has no final weights: nothing to evaluate.
  if (!existsSync(path.join(dir, MODEL_FILE))) {
    throw new NoRunError("evaluate", `model ${model.name} has no trained weights in ${dir} (was its training finished?)`, { block: model.name });
  }
  const saved = loadWeights(dir);
  try {
    const vars = model.params.variables();
    for (const name of saved.keys()) {
      if (!vars.has(name)) throw new Error(`${dir}: weight "${name}" does not belong to model ${model.name}`);
    }
    for (const [name, v] of vars) {
      const t = saved.get(name);
      if (t === undefined) throw new Error(`${dir}: no weight "${name}" for model ${model.name}`);
      if (t.shape.join(",") !== v.shape.join(",")) {
        throw new Error(`${dir}: "${name}" has shape [${t.shape}], model ${model.name} needs [${v.shape}]`);
      }
      v.assign(t);
    }
  } finally {
    tf.dispose([...saved.values()]);
  }
}
