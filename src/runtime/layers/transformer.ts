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
    throw new Error(`transformer: dModel ${config.dModel} not divisible by heads ${config.heads}; set headDim`);
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
export function feedForward(x: tf.Tensor, params: ParamStore, config: TransformerConfig, ctx: ForwardContext = INFERENCE): tf.Tensor {
  return tf.tidy(() => {
    const hidden = dense(x, params.scope("in"), config.dModel, config.dFF, {
      activation: config.activation ?? "relu",
    });
    return dense(dropout(hidden, config.dropout, ctx), params.scope("out"), config.dFF, config.dModel);
  });
}

/**
 * One residual sublayer: pre-LN gives x + drop(f(norm(x))), post-LN gives norm(x + drop(f(x))).
 */
function residual(x: tf.Tensor, norm: ParamStore, config: TransformerConfig, ctx: ForwardContext, f: (input: tf.Tensor) => tf.Tensor): tf.Tensor {
  const eps = { eps: config.eps };
  if ((config.norm ?? "pre") === "pre") {
    return tf.add(x, dropout(f(layerNorm(x, norm, config.dModel, eps)), config.dropout, ctx));
  }
  return layerNorm(tf.add(x, dropout(f(x), config.dropout, ctx)), norm, config.dModel, eps);
}

/**
 * One encoder layer: self-attention then feed-forward, each a residual sublayer (pre- or post-LN).
 * `bias` masks attention keys (padding, future positions); [B|1, 1|H, T, T] or undefined.
 */
export function encoderLayer(
  h: tf.Tensor,
  layer: ParamStore,
  config: TransformerConfig,
  bias: tf.Tensor | undefined,
  ctx: ForwardContext = INFERENCE,
): tf.Tensor3D {
  const attn = attentionConfig(config);
  const out = residual(h, layer.scope("norm1"), config, ctx, (y) => multiHeadAttention(y, y, layer.scope("self_attention"), attn, { bias }, ctx));
  return residual(out, layer.scope("norm2"), config, ctx, (y) => feedForward(y, layer.scope("ffn"), config, ctx)) as tf.Tensor3D;
}

/** The attention bias of an encoder stack: padding keys masked, and future keys when causal. */
export function encoderBias(t: number, config: TransformerConfig, masks: EncoderMasks = {}): tf.Tensor | undefined {
  return combineBiases(masks.paddingMask === undefined ? undefined : paddingBias(masks.paddingMask), config.causal === true ? causalBias(t, t) : undefined);
}

export function transformerEncoder(
  x: tf.Tensor,
  params: ParamStore,
  config: TransformerConfig,
  masks: EncoderMasks = {},
  ctx: ForwardContext = INFERENCE,
): tf.Tensor3D {
  const t = x.shape[1] as number;
  return tf.tidy(() => {
    // One bias for the whole stack instead of rebuilding it in every layer.
    const bias = encoderBias(t, config, masks);
    let h = x;
    for (let i = 0; i < config.layers; i++) h = encoderLayer(h, params.scope(`layer${i}`), config, bias, ctx);
    if ((config.norm ?? "pre") === "pre") {
      h = layerNorm(h, params.scope("final_norm"), config.dModel, { eps: config.eps });
    }
    return h as tf.Tensor3D;
  });
}

/**
 * One decoder layer: causal self-attention, cross-attention over the encoder memory [B, S, dk],
 * then feed-forward, each a residual sublayer (pre- or post-LN). `selfBias` masks the decoder's own
 * keys (future positions, padding), `memoryBias` the memory's padding; either may be undefined.
 */
export function decoderLayer(
  h: tf.Tensor,
  memory: tf.Tensor,
  layer: ParamStore,
  config: TransformerConfig,
  selfBias: tf.Tensor | undefined,
  memoryBias: tf.Tensor | undefined,
  ctx: ForwardContext = INFERENCE,
): tf.Tensor3D {
  const attn = attentionConfig(config);
  const cross: AttentionConfig = { ...attn, keyDim: memory.shape[2] };
  let out = residual(h, layer.scope("norm1"), config, ctx, (y) => multiHeadAttention(y, y, layer.scope("self_attention"), attn, { bias: selfBias }, ctx));
  out = residual(out, layer.scope("norm2"), config, ctx, (y) =>
    multiHeadAttention(y, memory, layer.scope("cross_attention"), cross, { bias: memoryBias }, ctx),
  );
  return residual(out, layer.scope("norm3"), config, ctx, (y) => feedForward(y, layer.scope("ffn"), config, ctx)) as tf.Tensor3D;
}

/** The attention biases of a decoder stack of length t: its own keys (causal, padding) and the memory's. */
export function decoderBiases(t: number, masks: DecoderMasks = {}): { self: tf.Tensor | undefined; memory: tf.Tensor | undefined } {
  return {
    self: combineBiases(masks.paddingMask === undefined ? undefined : paddingBias(masks.paddingMask), causalBias(t, t)),
    memory: masks.memoryPaddingMask === undefined ? undefined : paddingBias(masks.memoryPaddingMask),
  };
}

export function transformerDecoder(
  x: tf.Tensor,
  memory: tf.Tensor,
  params: ParamStore,
  config: TransformerConfig,
  masks: DecoderMasks = {},
  ctx: ForwardContext = INFERENCE,
): tf.Tensor3D {
  const t = x.shape[1] as number;
  return tf.tidy(() => {
    // One pair of biases for the whole stack instead of rebuilding them in every layer.
    const bias = decoderBiases(t, masks);
    let h = x;
    for (let i = 0; i < config.layers; i++) {
      h = decoderLayer(h, memory, params.scope(`layer${i}`), config, bias.self, bias.memory, ctx);
    }
    if ((config.norm ?? "pre") === "pre") {
      h = layerNorm(h, params.scope("final_norm"), config.dModel, { eps: config.eps });
    }
    return h as tf.Tensor3D;
  });
}
