// Multi-head attention. Takes queries [B, Tq, queryDim], keys/values [B, Tk, keyDim], a scope with
// "query", "key", "value" and "output" dense layers, and optional padding/causal masks; gives
// [B, Tq, dModel]. Heads are numHeads × headDim wide, independent of dModel (TIGER: 6 × 64 over
// d_model 128). Heads are split with reshape + transpose into [B, H, T, headDim] and scored with
// batched matMul against the keys as a transposed operand: OpenBLAS and the transpose-first wasm
// kernel take it at no extra cost, where transposing keys to [B, H, headDim, Tk] first was a
// slow 4-D transpose forward and backward (46 ms of a paper-size TIGER step).
// scaledDotProductAttention takes keys already transposed, for decoders that cache them.
import * as tf from "@tensorflow/tfjs-core";
import { dense } from "./dense.js";
import { dropout, INFERENCE, type ForwardContext } from "./dropout.js";
import { causalBias, combineBiases, paddingBias } from "./masks.js";
import type { ParamStore } from "./params.js";

export interface AttentionConfig {
  numHeads: number;
  headDim: number;
  /** Width of the query input, and of the output unless dModel says otherwise. */
  queryDim: number;
  /** Width of the key/value input (default queryDim). */
  keyDim?: number;
  /** Output width (default queryDim). */
  dModel?: number;
  /** Dropout on the attention weights (default 0). */
  dropout?: number;
  /** Biases in the four projections (default true). */
  bias?: boolean;
}

export interface AttentionMasks {
  /** [B, Tk]: 1 for real keys, 0 for padding. */
  keyPaddingMask?: tf.Tensor;
  /** Query i attends only to keys j ≤ i (aligned at the right when Tq ≠ Tk). */
  causal?: boolean;
  /** A precomputed additive bias broadcastable to [B, H, Tq, Tk] (e.g. shared by a layer stack). */
  bias?: tf.Tensor;
}

export function multiHeadAttention(
  query: tf.Tensor,
  keyValue: tf.Tensor,
  params: ParamStore,
  config: AttentionConfig,
  masks: AttentionMasks = {},
  ctx: ForwardContext = INFERENCE,
): tf.Tensor3D {
  const { numHeads: h, headDim: hd, queryDim } = config;
  const keyDim = config.keyDim ?? queryDim;
  const dModel = config.dModel ?? queryDim;
  if (query.rank !== 3 || keyValue.rank !== 3) {
    throw new Error(`multiHeadAttention: inputs must be rank 3, got [${query.shape}], [${keyValue.shape}]`);
  }
  const [b, tq] = query.shape;
  const tk = keyValue.shape[1] as number;
  const inner = h * hd;
  const proj = { bias: config.bias };
  return tf.tidy(() => {
    const q = dense(query, params.scope("query"), queryDim, inner, proj);
    const k = dense(keyValue, params.scope("key"), keyDim, inner, proj);
    const v = dense(keyValue, params.scope("value"), keyDim, inner, proj);
    // [B, T, H·hd] → [B, T, H, hd] → [B, H, T, hd].
    const qh = tf.transpose(tf.reshape(q, [b, tq, h, hd]), [0, 2, 1, 3]);
    const kh = tf.transpose(tf.reshape(k, [b, tk, h, hd]), [0, 2, 1, 3]);
    const vh = tf.transpose(tf.reshape(v, [b, tk, h, hd]), [0, 2, 1, 3]);
    const bias = combineBiases(
      masks.bias,
      masks.keyPaddingMask === undefined ? undefined : paddingBias(masks.keyPaddingMask),
      masks.causal === true ? causalBias(tq, tk) : undefined,
    );
    const output = attend(tf.matMul(qh, kh, false, true), hd, vh, bias, config.dropout ?? 0, ctx).output;
    // [B, H, Tq, hd] → [B, Tq, H, hd] → [B, Tq, H·hd] → output projection.
    const merged = tf.reshape(tf.transpose(output, [0, 2, 1, 3]), [b, tq, inner]);
    return dense(merged, params.scope("output"), inner, dModel, proj) as tf.Tensor3D;
  });
}

/**
 * softmax(q·kᵀ/√hd + bias)·v per head. Takes q [B, H, Tq, hd], keys already transposed
 * kt [B, H, hd, Tk], v [B, H, Tk, hd], an additive bias broadcastable to [B, H, Tq, Tk];
 * gives the output [B, H, Tq, hd] and the weights [B, H, Tq, Tk] (before dropout).
 */
export function scaledDotProductAttention(
  q: tf.Tensor,
  kt: tf.Tensor,
  v: tf.Tensor,
  bias: tf.Tensor | undefined,
  dropoutRate = 0,
  ctx: ForwardContext = INFERENCE,
): { output: tf.Tensor; weights: tf.Tensor } {
  return tf.tidy(() => attend(tf.matMul(q, kt), q.shape[q.rank - 1], v, bias, dropoutRate, ctx));
}

/** softmax(qk/√hd + bias)·v from the unscaled products qk [B, H, Tq, Tk] of width-hd heads. */
function attend(
  qk: tf.Tensor,
  hd: number,
  v: tf.Tensor,
  bias: tf.Tensor | undefined,
  dropoutRate: number,
  ctx: ForwardContext,
): { output: tf.Tensor; weights: tf.Tensor } {
  return tf.tidy(() => {
    let scores = tf.mul(qk, 1 / Math.sqrt(hd));
    if (bias !== undefined) scores = tf.add(scores, bias);
    const weights = tf.softmax(scores);
    const output = tf.matMul(dropout(weights, dropoutRate, ctx), v);
    return { output, weights };
  });
}
