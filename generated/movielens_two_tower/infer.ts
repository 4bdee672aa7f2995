/**
 * Generated from specs/movielens_two_tower.recspec by recspec. Edit freely and run with `recspec exec`; `recspec compile` regenerates it.
 * Restores a run's trained blocks, evaluates them, and recommends with them.
 * recspec content hash: sha256:49a4f05ead73180a — recspec overwrites this file only while it is unedited
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
import {
  MfBprModel,
  MfSoftmaxModel,
  TwoTowerFeaturesModel,
  TwoTowerIdsModel,
  loadMl,
  specEvaluations,
} from "./model.js";
import { type Trained } from "./train.js";

/** Loads the data and every block's trained state from `run`'s folder. */
export async function restore(run: Run): Promise<Trained> {
  const ml = await loadMl(run);
  const twoTowerIds = new TwoTowerIdsModel(ml);
  await restoreBlock(run, twoTowerIds);
  const twoTowerFeatures = new TwoTowerFeaturesModel(ml);
  await restoreBlock(run, twoTowerFeatures);
  const mfBpr = new MfBprModel(ml);
  await restoreBlock(run, mfBpr);
  const mfSoftmax = new MfSoftmaxModel(ml);
  await restoreBlock(run, mfSoftmax);
  return { ml, twoTowerIds, twoTowerFeatures, mfBpr, mfSoftmax };
}

/** Runs every `evaluate` block of the spec (an experiment cell passes them with its report's metrics added). */
export async function evaluate(
  run: Run,
  trained: Trained,
  evaluations: IREvaluation[] = specEvaluations,
): Promise<EvaluationResult[]> {
  const results: EvaluationResult[] = [];
  results.push(await evaluateBlock(run, trained.twoTowerIds, trained.ml, evaluations[0]));
  results.push(await evaluateBlock(run, trained.twoTowerFeatures, trained.ml, evaluations[1]));
  results.push(await evaluateBlock(run, trained.mfBpr, trained.ml, evaluations[2]));
  results.push(await evaluateBlock(run, trained.mfSoftmax, trained.ml, evaluations[3]));
  return results;
}

/** The spec's models by name, each with the data set it learned from, ready to recommend. */
export function recommenders(trained: Trained): Record<string, Recommender> {
  return {
    two_tower_ids: catalogueRecommender(trained.twoTowerIds, trained.ml),
    two_tower_features: catalogueRecommender(trained.twoTowerFeatures, trained.ml),
    mf_bpr: catalogueRecommender(trained.mfBpr, trained.ml),
    mf_softmax: catalogueRecommender(trained.mfSoftmax, trained.ml),
  };
}

/**
 * Top-`k` items for each user (raw ids, as in the data files) from `options.model` — by default `two_tower_ids`, the first model the spec evaluates —
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
    model: options.model ?? "two_tower_ids",
  });
}
