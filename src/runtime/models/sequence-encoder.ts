// The history encoder shared by the sequential model and the sequence_encoder user tower. Takes
// left-padded histories [B, T], a scope and an IR encoder config; gives hidden states [B, L, E] for
// the L used columns (see sequence-input.ts), E = the embedding width. Steps: item embedding × √E
// (table "item_embedding/table" [N+1, E]), a projection to d_model when it differs from E, learned
// positions of the full window (so the most recent item always has position T−1, whatever L is),
// dropout, padding zeroed, the transformer (padding-masked keys, causal when configured, final
// layer norm in pre-LN), and a projection back to E when d_model ≠ E.
import * as tf from "@tensorflow/tfjs-core";
import { dense } from "../layers/dense.js";
import { dropout, type ForwardContext } from "../layers/dropout.js";
import { normal } from "../layers/initializers.js";
import type { ParamStore } from "../layers/params.js";
import { transformerEncoder, type TransformerConfig } from "../layers/transformer.js";
import type { EncoderConfig } from "./config.js";
import { trimHistories } from "./sequence-input.js";

export interface SequenceEncoderOptions {
  numItems: number;
  embedding: number;
  encoder: EncoderConfig;
  /** History length T. */
  historyLength: number;
}

/** The IR encoder object as the layers library's config; d_model defaults to the embedding. */
export function transformerConfig(encoder: EncoderConfig, embedding: number): TransformerConfig {
  if (encoder.type !== "transformer") throw new Error(`unsupported encoder type "${encoder.type}"`);
  const dModel = encoder.d_model ?? embedding;
  return {
    layers: encoder.layers,
    heads: encoder.heads,
    ...(encoder.head_dim !== null ? { headDim: encoder.head_dim } : {}),
    dModel,
    dFF: encoder.d_ff ?? 4 * dModel,
    dropout: encoder.dropout,
    causal: encoder.causal,
    activation: encoder.activation,
    norm: encoder.norm,
  };
}

/** The item table [numItems + 1, embedding] (created on first use). */
export function itemTable(params: ParamStore, numItems: number, embedding: number): tf.Variable {
  return params.scope("item_embedding").get("table", [numItems + 1, embedding], normal(0.05));
}

export interface EncodedSequence {
  /** [B, L, E]. */
  hidden: tf.Tensor3D;
  /** Host copy of the trimmed ids [B, L]. */
  ids: Int32Array;
  length: number;
}

/** Encodes histories; tensors other than `hidden` are freed. */
export function encodeSequence(
  histories: Int32Array,
  count: number,
  params: ParamStore,
  options: SequenceEncoderOptions,
  ctx: ForwardContext,
): EncodedSequence {
  const { embedding: e, historyLength: t } = options;
  const cfg = transformerConfig(options.encoder, e);
  const d = cfg.dModel;
  if (t > options.encoder.max_positions) {
    throw new Error(`history ${t} exceeds the encoder's max_positions ${options.encoder.max_positions}`);
  }
  const trimmed = trimHistories(histories, count, t);
  const { length: l, offset } = trimmed;
  const table = itemTable(params, options.numItems, e);
  const positions = params.scope("positions").get("table", [options.encoder.max_positions, d], normal(0.05));
  const hidden = tf.tidy(() => {
    let x: tf.Tensor = tf.mul(tf.gather(table, trimmed.ids), Math.sqrt(e));
    if (d !== e) x = dense(x, params.scope("input_projection"), e, d);
    // Slice, not stridedSlice: Slice has a gradient.
    x = tf.add(x, tf.slice(positions as tf.Tensor2D, [offset, 0], [l, d]));
    x = dropout(x, cfg.dropout, ctx);
    const mask3 = tf.expandDims(trimmed.mask, 2);
    x = tf.mul(x, mask3);
    let h: tf.Tensor = transformerEncoder(x, params.scope("encoder"), cfg, { paddingMask: trimmed.mask }, ctx);
    if (d !== e) h = dense(h, params.scope("output_projection"), d, e);
    return h as tf.Tensor3D;
  });
  trimmed.ids.dispose();
  trimmed.mask.dispose();
  return { hidden, ids: trimmed.host, length: l };
}

/** Rough bytes of activations an encoder step keeps for backprop, for B rows of L positions. */
export function encoderStepBytes(b: number, l: number, options: SequenceEncoderOptions): number {
  return transformerStepBytes(b, l, transformerConfig(options.encoder, options.embedding), options.embedding);
}

/** The same estimate for a layers-library config over embeddings of width `embedding`. */
export function transformerStepBytes(b: number, l: number, cfg: TransformerConfig, embedding: number): number {
  const d = cfg.dModel;
  const inner = cfg.heads * (cfg.headDim ?? d / cfg.heads);
  // Per layer: q, k, v, merged, output, residuals, norms (~12·d) plus the feed-forward (3·dFF)
  // per position; attention scores, softmax, dropout mask and its gradient (4 × H·L²) per row.
  const perLayer = b * l * (12 * Math.max(d, inner) + 3 * cfg.dFF) * 4 + b * cfg.heads * l * l * 4 * 4;
  // Autodiff keeps inputs and outputs of most kernels: count everything twice.
  return 2 * (cfg.layers * perLayer + b * l * (d + embedding) * 4 * 4);
}
