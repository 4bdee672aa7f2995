// The interface every recommender model of the runtime implements, so one trainer and one
// evaluator serve them all. Takes nothing; gives types. A model owns its parameters (a
// ParamStore), knows its training examples, computes a scalar loss on a batch of them, and scores
// the whole catalogue for a batch of histories.
import type * as tf from "@tensorflow/tfjs-core";
import type { Batch } from "../data/batching.js";
import type { Example } from "../data/split.js";
import type { ParamStore } from "../layers/params.js";
import type { Rng } from "../random.js";

export interface LossContext {
  /**
   * true: the training objective (dropout on, the configured loss). false: the held-out loss used
   * for validation (no dropout; sequential models score only the last position with the full
   * softmax, whatever they train with).
   */
  training: boolean;
  /** Randomness for dropout and sampled negatives; required when training. */
  rng?: Rng;
}

export interface RecModel {
  readonly name: string;
  readonly params: ParamStore;
  /** Real items 1..numItems; score columns run 0..numItems with column 0 the padding item. */
  readonly numItems: number;
  /** History length T that histories passed in are padded or truncated to. */
  readonly historyLength: number;
  /** The examples the trainer batches (the training split, expanded as the model needs). */
  readonly trainingExamples: readonly Example[];
  /** Mean loss of a batch (histories [B, T] left-padded, targets [B]). */
  loss(batch: Batch, ctx: LossContext): tf.Scalar;
  /** The denominator of loss's mean on this batch (e.g. valid target positions), so the trainer
   * can weight micro-batches to reproduce the whole batch's gradient. */
  lossWeight(batch: Batch): number;
  /** Estimated peak bytes of activations for one training step on this batch. */
  stepBytes(batch: Batch): number;
  /** Next-item scores [count, numItems + 1] for `count` histories ([count, T] row-major,
   * left-padded); column 0 is the padding item and must be ignored by rankers. `users` [count]
   * (the examples' user indices) serves models with a user input, e.g. TIGER's hashed user token.
   * A model that reads scores back while scoring (beam search) answers with a promise: callers
   * await the result, which costs the others nothing. `exclude` [count], when the protocol leaves
   * the history out, holds each row's seen items: a model that decodes its list (TIGER's beam
   * search) skips them while decoding, so the list is still full; models that score the whole
   * catalogue ignore it (the caller masks their scores). */
  scoreItems(histories: Int32Array, count: number, users?: Int32Array, exclude?: readonly ArrayLike<number>[]): tf.Tensor2D | Promise<tf.Tensor2D>;
  /** Frees every parameter. */
  dispose(): void;
}
