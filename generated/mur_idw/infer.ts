/**
 * Generated from specs/mur_idw.recspec by recspec — do not edit (run `recspec compile` again).
 * Restores trained models from a run and evaluates them.
 */
import { evaluateBlock, restoreBlock, type EvaluationResult, type Run } from "recspec/runtime";
import { buildMur, evaluations, loadSynth, murConfig } from "./model.js";
import { type Trained } from "./train.js";

/** Loads the data and every model's trained weights from `run`'s checkpoints. */
export async function restore(run: Run): Promise<Trained> {
  const synth = await loadSynth(run);
  const mur = buildMur(synth);
  await restoreBlock(run, mur, murConfig);
  return { synth, mur };
}

/** Runs every `evaluate` block of the spec on its test split. */
export async function evaluate(run: Run, trained: Trained): Promise<EvaluationResult[]> {
  const results: EvaluationResult[] = [];
  results.push(await evaluateBlock(run, trained.mur, trained.synth, evaluations[0]));
  return results;
}
