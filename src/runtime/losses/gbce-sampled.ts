// gBCE with negatives drawn for the step, for models that score item ids (the sequential model).
// Takes a scorer (how P query rows score item ids), the rows' targets, K, t, the catalogue size N
// and an Rng; gives the mean gBCE (gbce.ts). The K negatives are drawn uniformly from 1..N once per
// step and shared by every row: one [P, E]·[E, K] product instead of gSASRec's K draws per
// position (a [P, K, E] gather). α = K / (N − 1) is each row's sampling rate either way; a
// negative equal to a row's target is an accidental hit and is left out of that row's loss.
import type * as tf from "@tensorflow/tfjs-core";
import type { CandidateScorer } from "../models/sampled-softmax.js";
import type { Rng } from "../random.js";
import { candidateHits } from "./candidate-softmax.js";
import { gbceBeta, gbceLoss } from "./gbce.js";

export interface SampledGbceArgs {
  scorer: CandidateScorer;
  /** [P] target item of each row. */
  targets: Int32Array;
  /** K, negatives per step. */
  negatives: number;
  /** Calibration t ∈ [0, 1]. */
  t: number;
  /** N: items are 1..N (0 is padding). */
  numItems: number;
  rng: Rng;
}

export function sampledGbceLoss(args: SampledGbceArgs): tf.Scalar {
  const { scorer, targets, negatives: k, numItems, rng } = args;
  const items = new Int32Array(k);
  for (let j = 0; j < k; j++) items[j] = 1 + rng.int(numItems);
  const positive = scorer.diagonal(targets);
  const scores = scorer.against(items);
  const loss = gbceLoss(positive, scores, gbceBeta(k, numItems, args.t), { hits: candidateHits(targets, items) });
  positive.dispose();
  scores.dispose();
  return loss;
}
