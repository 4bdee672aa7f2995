/**
 * Generated from specs/mur_idw_official.recspec by recspec. Edit freely and run with `recspec exec`; `recspec compile` regenerates it.
 * Restores a run's trained blocks, evaluates them, and recommends with them.
 * recspec content hash: sha256:54a7f087b1646b13 — recspec overwrites this file only while it is unedited
 */
import {
  catalogueRecommender,
  evaluateBlock,
  recommendItems,
  restoreBlock,
  type EvaluationResult,
  type IREvaluation,
  type RecommendOptions,
  type Recommender,
  type Run,
  type UserIds,
  type UserRecommendation,
} from "recspec/runtime";
import { MurModel, loadSynth, specEvaluations } from "./model.js";
import { type Trained } from "./train.js";

/** Loads the data and every block's trained state from `run`'s folder. */
export async function restore(run: Run): Promise<Trained> {
  const synth = await loadSynth(run);
  const mur = new MurModel(synth);
  await restoreBlock(run, mur);
  return { synth, mur };
}

/** Runs every `evaluate` block of the spec (an experiment cell passes them with its report's metrics added). */
export async function evaluate(
  run: Run,
  trained: Trained,
  evaluations: IREvaluation[] = specEvaluations,
): Promise<EvaluationResult[]> {
  const results: EvaluationResult[] = [];
  results.push(await evaluateBlock(run, trained.mur, trained.synth, evaluations[0]));
  return results;
}

/** The spec's models by name, each with the data set it learned from, ready to recommend. */
export function recommenders(trained: Trained): Record<string, Recommender> {
  return {
    mur: catalogueRecommender(trained.mur, trained.synth),
  };
}

/**
 * Top-`k` items for each user (raw ids, as in the data files) from `options.model` — by default `mur`, the first model the spec evaluates —
 * best first with their scores, the user's own items left out unless `options.includeSeen`.
 * Users are scored in batches; each batch's lists come as soon as it is done.
 */
export function recommend(
  run: Run,
  trained: Trained,
  users: UserIds,
  k: number,
  options: RecommendOptions = {},
): AsyncGenerator<UserRecommendation> {
  return recommendItems(run, recommenders(trained), users, k, {
    ...options,
    model: options.model ?? "mur",
  });
}
