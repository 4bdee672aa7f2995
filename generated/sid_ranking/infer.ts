/**
 * Generated from specs/sid_ranking.recspec by recspec — do not edit (run `recspec compile` again).
 * Restores trained models from a run and evaluates them.
 */
import {
  unsupported,
  type EvaluationResult,
  type ProgramEvaluation,
  type Run,
} from "recspec/runtime";
import { loadBeauty, specBlocks, specEvaluations, type Blocks } from "./model.js";
import { type Trained } from "./train.js";

/** Loads the data and every model's trained weights from `run`'s checkpoints. */
export async function restore(run: Run, blocks: Blocks = specBlocks): Promise<Trained> {
  const beauty = await loadBeauty(run, blocks);
  unsupported(
    blocks.content,
    "content features are computed by the Semantic-ID work (TIGER issue)",
  );
  unsupported(blocks.sid, "quantizers (RQ-VAE, random IDs, LSH) arrive with the TIGER issue");
  unsupported(blocks.ranker, "the Semantic-ID ranking model is not implemented yet");
  return { beauty };
}

/** Runs every `evaluate` block of the spec (or the variants an experiment passes). */
export async function evaluate(
  run: Run,
  trained: Trained,
  evaluations: ProgramEvaluation[] = specEvaluations,
): Promise<EvaluationResult[]> {
  const results: EvaluationResult[] = [];
  return results;
}
