// Transformer layer stacks. Takes embedded sequences [B, T, dModel] (plus encoder memory for the
// decoder), a scope and a config; gives [B, T, dModel]. Encoder: self-attention + feed-forward,
// optionally causal (SASRec). Decoder: causal self-attention + cross-attention over the memory +
// feed-forward (TIGER's seq2seq). Pre-LN (default) normalises each sublayer's input and adds a
// final layer norm; post-LN normalises after each residual sum, as in the original paper.
//
// Scopes: layer{i}/{self_attention,cross_attention,ffn/{in,out},norm1,norm2,norm3}, final_norm.
import * as tf from "@tensorflow/tfjs-core";
import type { Activation, ActivationName } from "./activations.js";
import { multiHeadAttention, type AttentionConfig } from "./attention.js";
import { dense } from "./dense.js";
import { dropout, INFERENCE, type ForwardContext } from "./dropout.js";
import { layerNorm } from "./layer-norm.js";
import { causalBias, combineBiases, paddingBias } from "./masks.js";
import type { ParamStore } from "./params.js";

export interface TransformerConfig {
  layers: number;
  heads: number;
  /** Per-head width (default dModel / heads, which must then divide evenly). */
  headDim?: number;
  dModel: number;
  dFF: number;
  /** Residual, feed-forward and attention-weight dropout. */
  dropout: number;
  /** Attention-weight dropout when it should differ from `dropout`. */
  attentionDropout?: number;
  /** Encoder only: each position attends to itself and earlier ones (the decoder always is). */
  causal?: boolean;
  /** Feed-forward activation (default relu). */
  activation?: ActivationName | Activation;
  /** "pre" (default) or "post" layer norm. */
  norm?: "pre" | "post";
  /** Layer-norm epsilon (default 1e-6). */
  eps?: number;
}

export interface EncoderMasks {
  /** [B, T]: 1 for real positions, 0 for padding. */
  paddingMask?: tf.Tensor;
}

export interface DecoderMasks {
  /** [B, Tt] for the decoder's own positions. */
  paddingMask?: tf.Tensor;
  /** [B, Ts] for the encoder memory. */
  memoryPaddingMask?: tf.Tensor;
}

export function headDimOf(config: TransformerConfig): number {
  if (config.headDim !== undefined) return config.headDim;
  if (config.dModel % config.heads !== 0) {
    throw new Error(
      `transformer: dModel ${config.dModel} not divisible by heads ${config.heads}; set headDim`,
    );
  }
  return config.dModel / config.heads;
}

function attentionConfig(config: TransformerConfig): AttentionConfig {
  return {
    numHeads: config.heads,
    headDim: headDimOf(config),
    queryDim: config.dModel,
    dropout: config.attentionDropout ?? config.dropout,
  };
}

/** Position-wise feed-forward: dense(dFF, activation) → dropout → dense(dModel). */
export function feedForward(
  x: tf.Tensor,
  params: ParamStore,
  config: TransformerConfig,
  ctx: ForwardContext = INFERENCE,
): tf.Tensor {
  return tf.tidy(() => {
    const hidden = dense(x, params.scope("in"), config.dModel, config.dFF, {
      activation: config.activation ?? "relu",
    });
    return dense(
      dropout(hidden, config.dropout, ctx),
      params.scope("out"),
      config.dFF,
      config.dModel,
    );
  });
}

/**
 * One residual sublayer: pre-LN gives x + drop(f(norm(x))), post-LN gives norm(x + drop(f(x))).
 */
function residual(
  x: tf.Tensor,
  norm: ParamStore,
  config: TransformerConfig,
  ctx: ForwardContext,
  f: (input: tf.Tensor) => tf.Tensor,
): tf.Tensor {
  const eps = { eps: config.eps };
  if ((config.norm ?? "pre") === "pre") {
    return tf.add(x, dropout(f(layerNorm(x, norm, config.dModel, eps)), config.dropout, ctx));
  }
  return layerNorm(tf.add(x, dropout(f(x), config.dropout, ctx)), norm, config.dModel, eps);
}

export function transformerEncoder(
  x: tf.Tensor,
  params: ParamStore,
  config: TransformerConfig,
  masks: EncoderMasks = {},
  ctx: ForwardContext = INFERENCE,
): tf.Tensor3D {
  const attn = attentionConfig(config);
  const t = x.shape[1] as number;
  return tf.tidy(() => {
    // One bias for the whole stack instead of rebuilding it in every layer.
    const bias = combineBiases(
      masks.paddingMask === undefined ? undefined : paddingBias(masks.paddingMask),
      config.causal === true ? causalBias(t, t) : undefined,
    );
    let h = x;
    for (let i = 0; i < config.layers; i++) {
      const layer = params.scope(`layer${i}`);
      h = residual(h, layer.scope("norm1"), config, ctx, (y) =>
        multiHeadAttention(y, y, layer.scope("self_attention"), attn, { bias }, ctx),
      );
      h = residual(h, layer.scope("norm2"), config, ctx, (y) =>
        feedForward(y, layer.scope("ffn"), config, ctx),
      );
    }
    if ((config.norm ?? "pre") === "pre") {
      h = layerNorm(h, params.scope("final_norm"), config.dModel, { eps: config.eps });
    }
    return h as tf.Tensor3D;
  });
}

export function transformerDecoder(
  x: tf.Tensor,
  memory: tf.Tensor,
  params: ParamStore,
  config: TransformerConfig,
  masks: DecoderMasks = {},
  ctx: ForwardContext = INFERENCE,
): tf.Tensor3D {
  const attn = attentionConfig(config);
  const cross: AttentionConfig = { ...attn, keyDim: memory.shape[2] };
  const t = x.shape[1] as number;
  return tf.tidy(() => {
    const selfBias = combineBiases(
      masks.paddingMask === undefined ? undefined : paddingBias(masks.paddingMask),
      causalBias(t, t),
    );
    const memoryBias =
      masks.memoryPaddingMask === undefined ? undefined : paddingBias(masks.memoryPaddingMask);
    let h = x;
    for (let i = 0; i < config.layers; i++) {
      const layer = params.scope(`layer${i}`);
      h = residual(h, layer.scope("norm1"), config, ctx, (y) =>
        multiHeadAttention(y, y, layer.scope("self_attention"), attn, { bias: selfBias }, ctx),
      );
      h = residual(h, layer.scope("norm2"), config, ctx, (y) =>
        multiHeadAttention(
          y,
          memory,
          layer.scope("cross_attention"),
          cross,
          { bias: memoryBias },
          ctx,
        ),
      );
      h = residual(h, layer.scope("norm3"), config, ctx, (y) =>
        feedForward(y, layer.scope("ffn"), config, ctx),
      );
    }
    if ((config.norm ?? "pre") === "pre") {
      h = layerNorm(h, params.scope("final_norm"), config.dModel, { eps: config.eps });
    }
    return h as tf.Tensor3D;
  });
}
