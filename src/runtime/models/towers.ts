// The layers of multi-interest towers that generated two-tower models compose (their tower classes
// in model.ts spell out the rest). Takes tensors and scopes; gives:
//   selfAttentionLayer     — x + dropout(ELU(MHA(x, x))) over a padding-masked history, padding kept 0
//                            (the multi-interest tower's attention layers, PAPERS.md §1);
//   interestDisagreement   — the regulariser Σ_{h≠h'} cos(q_h, q_h') over the interest queries;
//   multiInterestStepBytes — the multi-interest tower's activation estimate.
import * as tf from "@tensorflow/tfjs-core";
import { elu } from "../layers/activations.js";
import { multiHeadAttention } from "../layers/attention.js";
import { dropout, type ForwardContext } from "../layers/dropout.js";
import type { ParamStore } from "../layers/params.js";

/** One self-attention layer of a multi-interest tower: x [B, L, D], mask [B, L] → [B, L, D]. */
export function selfAttentionLayer(
  x: tf.Tensor,
  params: ParamStore,
  options: { heads: number; dropout: number },
  mask: tf.Tensor2D,
  ctx: ForwardContext,
): tf.Tensor3D {
  const d = x.shape[2] as number;
  if (d % options.heads !== 0) throw new Error(`self-attention: width ${d} is not divisible by ${options.heads} heads`);
  return tf.tidy(() => {
    const a = multiHeadAttention(
      x,
      x,
      params,
      { numHeads: options.heads, headDim: d / options.heads, queryDim: d, dropout: options.dropout },
      { keyPaddingMask: mask },
      ctx,
    );
    return tf.mul(tf.add(x, dropout(elu(a), options.dropout, ctx)), tf.expandDims(mask, 2)) as tf.Tensor3D;
  });
}

/** weight · Σ_{h≠h'} cos(q_h, q_h') for interest queries [H, D]: the off-diagonal sum of their cosine matrix. */
export function interestDisagreement(queries: tf.Tensor2D, weight: number): tf.Scalar {
  const h = queries.shape[0];
  return tf.tidy(() => {
    const unit = tf.div(queries, tf.add(tf.norm(queries, 2, 1, true), 1e-8));
    const cos = tf.matMul(unit, unit, false, true);
    return tf.mul(tf.sub(tf.sum(cos), tf.sum(tf.mul(cos, tf.eye(h)))), weight) as tf.Scalar;
  });
}

/** Rough activation bytes of a multi-interest tower's training step over B histories of used length L. */
export function multiInterestStepBytes(b: number, l: number, tower: { embedding: number; heads: number; layers: number; interests: number }): number {
  const e = tower.embedding;
  const perLayer = b * l * e * 4 * 12 + b * tower.heads * l * l * 4 * 4;
  return 2 * (tower.layers * perLayer + b * l * e * 4 * 4 + b * tower.interests * l * 4 * 3);
}
