// Multi-interest extraction and scoring (Mehta et al. 2023, PAPERS.md §1). Takes sequence outputs
// [B, T, D] and a padding mask; gives H interest vectors [B, H, D], one attention per learned query
// (the "queries" parameter [H, D]). Scores a user against items as the max over heads; in training
// the target picks one head (hard routing) and only that head receives gradient.
import * as tf from "@tensorflow/tfjs-core";
import { normal, type Init } from "./initializers.js";
import { MASKED } from "./masks.js";
import type { ParamStore } from "./params.js";

export interface MultiInterestOptions {
  numInterests: number;
  dim: number;
  /** [B, T]: 1 for real positions, 0 for padding. */
  paddingMask?: tf.Tensor;
  /** Divide scores by √dim before the softmax (default true). */
  scale?: boolean;
  /** Query initialiser (default normal, std 0.05). */
  init?: Init;
}

/** Interest vectors [B, H, D]: interest h = Σ_t softmax_t(<q_h, x_t>) · x_t over real positions. */
export function multiInterest(seq: tf.Tensor, params: ParamStore, options: MultiInterestOptions): tf.Tensor3D {
  const { numInterests: h, dim } = options;
  if (seq.rank !== 3 || seq.shape[2] !== dim) {
    throw new Error(`multiInterest: expected [B, T, ${dim}], got [${seq.shape}]`);
  }
  const [b, t] = seq.shape;
  const queries = params.get("queries", [h, dim], options.init ?? normal(0.05));
  return tf.tidy(() => {
    // [B·T, D]·[D, H] as one 2-D matMul; transposing the small query matrix is cheap.
    const flat = tf.reshape(seq, [b * t, dim]) as tf.Tensor2D;
    let scores: tf.Tensor = tf.reshape(tf.matMul(flat, tf.transpose(queries) as tf.Tensor2D), [b, t, h]);
    if (options.scale ?? true) scores = tf.mul(scores, 1 / Math.sqrt(dim));
    // Softmax runs over the last axis, so put positions last: [B, H, T].
    scores = tf.transpose(scores, [0, 2, 1]);
    if (options.paddingMask !== undefined) {
      const pad = tf.mul(tf.sub(1, tf.cast(options.paddingMask, "float32")), MASKED);
      scores = tf.add(scores, tf.reshape(pad, [b, 1, t]));
    }
    return tf.matMul(tf.softmax(scores), seq as tf.Tensor3D) as tf.Tensor3D;
  });
}

/**
 * Scores [B, N] = max_h <user_h, item_n> for users [B, H, D] against items [N, D] (retrieval and
 * in-batch softmax). The max's gradient reaches only the winning head of each (user, item) pair.
 */
export function maxInterestScores(userVecs: tf.Tensor, itemVecs: tf.Tensor): tf.Tensor2D {
  const [b, h, d] = userVecs.shape;
  const n = itemVecs.shape[0];
  return tf.tidy(() => {
    const flat = tf.reshape(userVecs, [b * h, d]) as tf.Tensor2D;
    const all = tf.matMul(flat, itemVecs as tf.Tensor2D, false, true);
    return tf.max(tf.reshape(all, [b, h, n]), 1) as tf.Tensor2D;
  });
}

/**
 * Hard routing for training: for each example the head with the highest score against its target
 * [B, D]. Gives that head's vectors [B, D] and indices [B] (int32, first head on ties). The choice
 * is a constant one-hot, so gradient flows to the chosen head only; other heads get exactly zero.
 */
export function routeToTarget(userVecs: tf.Tensor, targetVecs: tf.Tensor): { vectors: tf.Tensor2D; heads: tf.Tensor1D } {
  const h = userVecs.shape[1] as number;
  return tf.tidy(() => {
    // One vector per user: nothing to route (and tf.oneHot needs a depth of at least 2).
    if (h === 1) {
      const b = userVecs.shape[0] as number;
      return { vectors: tf.reshape(userVecs, [b, userVecs.shape[2] as number]) as tf.Tensor2D, heads: tf.zeros([b], "int32") as tf.Tensor1D };
    }
    const perHead = tf.sum(tf.mul(userVecs, tf.expandDims(targetVecs, 1)), 2); // [B, H]
    const heads = tf.argMax(perHead, 1) as tf.Tensor1D;
    const oneHot = tf.expandDims(tf.cast(tf.oneHot(heads, h), "float32"), 2); // [B, H, 1]
    const vectors = tf.sum(tf.mul(userVecs, oneHot), 1) as tf.Tensor2D;
    return { vectors, heads };
  });
}

/** Per-example training score [B] = max_h <user_h, target>, through hard routing. */
export function targetInterestScores(userVecs: tf.Tensor, targetVecs: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const { vectors } = routeToTarget(userVecs, targetVecs);
    return tf.sum(tf.mul(vectors, targetVecs), 1) as tf.Tensor1D;
  });
}
