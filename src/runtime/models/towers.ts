// The layers of two-tower towers, and the towers a distilled two-tower student is still built
// from at run time. Takes tensors and scopes; gives:
//   selfAttentionLayer   — x + dropout(ELU(MHA(x, x))) over a padding-masked history, padding kept 0
//                          (the multi-interest tower's attention layers, PAPERS.md §1);
//   interestDisagreement — the regulariser Σ_{h≠h'} cos(q_h, q_h') over the interest queries;
//   multiInterestStepBytes — the multi-interest tower's activation estimate;
//   itemTower / userTower — the same graphs built from IR tower attributes (distill students only;
//                          generated two-tower models spell their towers out in model.ts):
//     item_tower       — item-ID embedding, then an MLP (`layers`, ReLU between) or a projection;
//     multi_interest   — item-ID embedding × √E, the attention layers, then H learned queries each
//                        attending over the sequence (layers/multi-interest.ts), projected to
//                        `output` when it differs (H = 1 is SUR);
//     sequence_encoder — the transformer of sequence-encoder.ts, last position → H = 1.
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
    const a = multiHeadAttention(x, x, params, { numHeads: options.heads, headDim: d / options.heads, queryDim: d, dropout: options.dropout }, { keyPaddingMask: mask }, ctx);
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
          let x: tf.Tensor = tf.mul(tf.mul(tf.gather(table, trimmed.ids), Math.sqrt(e)), tf.expandDims(trimmed.mask, 2));
          for (let layer = 0; layer < att.layers; layer++) {
            x = selfAttentionLayer(x, params.scope(`attention${layer}`), att, trimmed.mask, ctx);
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
      return interestDisagreement(interestScope.get("queries", [h, e], normal(0.05)) as tf.Tensor2D, config.disagreement);
    },
    stepBytes: (b, l) => multiInterestStepBytes(b, l, { embedding: e, heads: att.heads, layers: att.layers, interests: h }),
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
