/**
 * Generated from specs/tiger_beauty.recspec by recspec — do not edit (run `recspec compile` again).
 * Restores trained models from a run and evaluates them.
 */
import { unsupported, type EvaluationResult, type Run } from "recspec/runtime";
import { contentConfig, loadBeauty, sidConfig, tigerConfig } from "./model.js";
import { type Trained } from "./train.js";

/** Loads the data and every model's trained weights from `run`'s checkpoints. */
export async function restore(run: Run): Promise<Trained> {
  const beauty = await loadBeauty(run);
  unsupported(contentConfig, "content features are computed by the Semantic-ID work (TIGER issue)");
  unsupported(sidConfig, "quantizers (RQ-VAE, random IDs, LSH) arrive with the TIGER issue");
  unsupported(tigerConfig, "generative retrieval (TIGER) is not implemented yet");
  return { beauty };
}

/** Runs every `evaluate` block of the spec on its test split. */
export async function evaluate(run: Run, trained: Trained): Promise<EvaluationResult[]> {
  const results: EvaluationResult[] = [];
  return results;
}
