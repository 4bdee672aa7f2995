// The towers of a two-tower model. Takes IR tower attributes and a scope; gives functions from
// item ids to item vectors [n, D] and from left-padded histories to user vectors [B, H, D]:
//   item_tower       — item-ID embedding, then an MLP (`layers`, ReLU between) or a projection to
//                      `output` when that differs from the embedding;
//   multi_interest   — item-ID embedding × √E, `attention.layers` self-attention layers
//                      x = x + dropout(ELU(MHA(x, x))) over the padding-masked history, then H
//                      learned queries each attending over the sequence (layers/multi-interest.ts),
//                      projected to `output` when it differs (PAPERS.md §1; H = 1 is SUR);
//   sequence_encoder — the transformer of sequence-encoder.ts, last position → H = 1.
import * as tf from "@tensorflow/tfjs-core";
import { elu } from "../layers/activations.js";
import { multiHeadAttention } from "../layers/attention.js";
import { dense } from "../layers/dense.js";
import { dropout, type ForwardContext } from "../layers/dropout.js";
import { normal } from "../layers/initializers.js";
import { mlp } from "../layers/mlp.js";
import { multiInterest } from "../layers/multi-interest.js";
import type { ParamStore } from "../layers/params.js";
import type { ItemTowerConfig, MultiInterestTowerConfig, SequenceEncoderTowerConfig, UserTowerSpec } from "./config.js";
import { encodeSequence, encoderStepBytes } from "./sequence-encoder.js";
import { trimHistories } from "./sequence-input.js";

export interface ItemTower {
  readonly dim: number;
  /** [n, D] vectors of the given items. */
  vectors(ids: tf.Tensor1D, ctx: ForwardContext): tf.Tensor2D;
}

export interface UserTower {
  readonly dim: number;
  /** Interest vectors per user (1 for single-representation towers). */
  readonly interests: number;
  /** [B, H, D] from histories [B, T] (row-major, left-padded). */
  vectors(histories: Int32Array, count: number, ctx: ForwardContext): tf.Tensor3D;
  /** Extra loss terms (the multi-interest disagreement regulariser), or null. */
  regularizer(): tf.Scalar | null;
  /** Rough activation bytes of a training step over B histories of used length L. */
  stepBytes(b: number, l: number): number;
}

export function itemTower(config: ItemTowerConfig, params: ParamStore, numItems: number): ItemTower {
  const e = config.embedding;
  // Layer sizes after the embedding: the hidden layers, then `output` when it adds a width.
  const sizes = [...config.layers];
  if (config.output !== null && config.output !== (sizes.at(-1) ?? e)) sizes.push(config.output);
  const dim = sizes.at(-1) ?? e;
  const table = params.scope("item_embedding").get("table", [numItems + 1, e], normal(0.05));
  return {
    dim,
    vectors(ids, ctx) {
      return tf.tidy(() => {
        const x = tf.gather(table, ids) as tf.Tensor2D;
        if (sizes.length === 0) return x;
        return mlp(x, params.scope("mlp"), { inDim: e, sizes, activation: "relu" }, ctx) as tf.Tensor2D;
      });
    },
  };
}

export function userTower(spec: UserTowerSpec, params: ParamStore, numItems: number, historyLength: number): UserTower {
  switch (spec.type) {
    case "multi_interest":
      return multiInterestTower(spec.attributes, params, numItems, historyLength);
    case "sequence_encoder":
      return sequenceEncoderTower(spec.attributes, params, numItems, historyLength);
    default:
      throw new Error(`unsupported user tower type "${(spec as { type: string }).type}"`);
  }
}

function multiInterestTower(config: MultiInterestTowerConfig, params: ParamStore, numItems: number, t: number): UserTower {
  const e = config.embedding;
  const dim = config.output ?? e;
  const h = config.interests;
  const att = config.attention;
  if (e % att.heads !== 0) throw new Error(`multi_interest: embedding ${e} is not divisible by attention heads ${att.heads}`);
  const table = params.scope("item_embedding").get("table", [numItems + 1, e], normal(0.05));
  const interestScope = params.scope("interests");
  return {
    dim,
    interests: h,
    vectors(histories, count, ctx) {
      const trimmed = trimHistories(histories, count, t);
      try {
        return tf.tidy(() => {
          const mask3 = tf.expandDims(trimmed.mask, 2);
          let x: tf.Tensor = tf.mul(tf.mul(tf.gather(table, trimmed.ids), Math.sqrt(e)), mask3);
          for (let layer = 0; layer < att.layers; layer++) {
            const a = multiHeadAttention(
              x,
              x,
              params.scope(`attention${layer}`),
              { numHeads: att.heads, headDim: e / att.heads, queryDim: e, dropout: att.dropout },
              { keyPaddingMask: trimmed.mask },
              ctx,
            );
            x = tf.mul(tf.add(x, dropout(elu(a), att.dropout, ctx)), mask3);
          }
          let u: tf.Tensor = multiInterest(x, interestScope, { numInterests: h, dim: e, paddingMask: trimmed.mask });
          if (dim !== e) u = dense(u, params.scope("output"), e, dim);
          return u as tf.Tensor3D;
        });
      } finally {
        trimmed.ids.dispose();
        trimmed.mask.dispose();
      }
    },
    regularizer() {
      if (config.disagreement === 0 || h < 2) return null;
      // Σ_{h≠h'} cos(q_h, q_h'): the sum of the off-diagonal entries of the cosine matrix.
      const queries = interestScope.get("queries", [h, e], normal(0.05));
      return tf.tidy(() => {
        const unit = tf.div(queries, tf.add(tf.norm(queries, 2, 1, true), 1e-8));
        const cos = tf.matMul(unit, unit, false, true);
        return tf.mul(tf.sub(tf.sum(cos), tf.sum(tf.mul(cos, tf.eye(h)))), config.disagreement) as tf.Scalar;
      });
    },
    stepBytes(b, l) {
      const perLayer = b * l * e * 4 * 12 + b * att.heads * l * l * 4 * 4;
      return 2 * (att.layers * perLayer + b * l * e * 4 * 4 + b * h * l * 4 * 3);
    },
  };
}

function sequenceEncoderTower(config: SequenceEncoderTowerConfig, params: ParamStore, numItems: number, t: number): UserTower {
  const e = config.embedding;
  const dim = config.output ?? e;
  const options = { numItems, embedding: e, encoder: config.encoder, historyLength: t };
  return {
    dim,
    interests: 1,
    vectors(histories, count, ctx) {
      return tf.tidy(() => {
        const { hidden, length } = encodeSequence(histories, count, params, options, ctx);
        let last: tf.Tensor = tf.reshape(tf.slice(hidden, [0, length - 1, 0], [count, 1, e]), [count, e]);
        if (dim !== e) last = dense(last, params.scope("output"), e, dim);
        return tf.reshape(last, [count, 1, dim]) as tf.Tensor3D;
      });
    },
    regularizer: () => null,
    stepBytes: (b, l) => encoderStepBytes(b, l, options),
  };
}
