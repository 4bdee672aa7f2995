// What a pointwise ranker offers beyond RecModel, so distillation and the sampled evaluation can
// use any of them (generated ranking models and distilled ranking students): the pairs its loss scores, its
// logits of (history, candidate) pairs, and scores of each history against its own candidates.
// Takes nothing; gives the interface.
import type * as tf from "@tensorflow/tfjs-core";
import type { Batch } from "../data/batching.js";
import type { LossContext, RecModel } from "../models/rec-model.js";
import type { TrainingPairs } from "./negative-sampler.js";

export interface PairwiseRanker extends RecModel {
  /** The pairs a training step scores, drawn from the context's rng fork "negatives". */
  trainingCandidates(batch: Batch, ctx: LossContext): TrainingPairs;
  /** Logits [B·C] of B histories, each against its C consecutive candidates. */
  candidateLogits(histories: Int32Array, count: number, candidates: Int32Array): tf.Tensor1D;
  /** Scores [B, M] of each history against its own M candidates (candidates [B, M] row-major). */
  scoreCandidates(histories: Int32Array, count: number, candidates: Int32Array): tf.Tensor2D;
  /** A ranker scores the catalogue in forward passes, without reading back. */
  scoreItems(histories: Int32Array, count: number, users?: Int32Array): tf.Tensor2D;
}
