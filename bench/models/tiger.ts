// TIGER-shaped seq2seq training step (Rajput et al. 2023): an encoder over a user's history of
// Semantic-ID tokens (20 items × 4 tokens + a user token = 81) and a decoder predicting the next
// item's 4 tokens, cross-entropy over the token vocabulary. Built from src/runtime/layers.
// Paper size: d 128, 4+4 layers, 6 heads × 64, ff 1024; small: d 64, 2+2 layers, ff 256.
import * as tf from "@tensorflow/tfjs-core";
import {
  dense,
  embedding,
  ParamStore,
  positionalEmbedding,
  transformerDecoder,
  transformerEncoder,
  type TransformerConfig,
} from "../../src/runtime/layers/index.js";
import { softmaxCrossEntropy } from "../../src/runtime/losses/softmax-cross-entropy.js";
import { Rng } from "../../src/runtime/random.js";
import { makeTrainStep, microBatches, randomIds, type TrainStep } from "./train-step.js";

export interface TigerSize {
  dModel: number;
  layers: number;
  heads: number;
  headDim: number;
  dFF: number;
}

export const TIGER_PAPER: TigerSize = { dModel: 128, layers: 4, heads: 6, headDim: 64, dFF: 1024 };
export const TIGER_SMALL: TigerSize = { dModel: 64, layers: 2, heads: 6, headDim: 64, dFF: 256 };

const SRC_LEN = 81;
const TGT_LEN = 4;
/** 4 codebooks × 256 codes, plus padding/BOS. */
const TOKEN_VOCAB = 4 * 256 + 1;
/** TIGER hashes user ids into 2,000 extra tokens. */
const USER_TOKENS = 2000;

interface TigerBatch {
  src: tf.Tensor;
  tgtIn: tf.Tensor;
  tgtOut: tf.Tensor;
}

export function tigerStep(size: TigerSize, batch: number, micro?: number): TrainStep {
  const rng = new Rng(1);
  const params = new ParamStore(1);
  const parts: TigerBatch[] = microBatches(batch, micro).map((b) => ({
    src: randomIds([b, SRC_LEN], 1, TOKEN_VOCAB + USER_TOKENS, rng),
    tgtIn: randomIds([b, TGT_LEN], 1, TOKEN_VOCAB, rng),
    tgtOut: randomIds([b * TGT_LEN], 1, TOKEN_VOCAB, rng),
  }));
  const config: TransformerConfig = { ...size, dropout: 0.1 };
  const d = size.dModel;
  return makeTrainStep({
    params,
    parts,
    examples: batch,
    config: `d ${d}, ${size.layers}+${size.layers} layers, ${size.heads}×${size.headDim} heads, ff ${size.dFF}, src ${SRC_LEN}, tgt ${TGT_LEN}, batch ${batch}`,
    tensors: parts.flatMap((p) => [p.src, p.tgtIn, p.tgtOut]),
    loss: (p, ctx) =>
      tf.tidy(() => {
        const b = p.src.shape[0];
        const src = tf.add(
          embedding(p.src, params.scope("tokens"), TOKEN_VOCAB + USER_TOKENS, d),
          positionalEmbedding(SRC_LEN, params.scope("src_pos"), SRC_LEN, d),
        );
        const memory = transformerEncoder(src, params.scope("encoder"), config, {}, ctx);
        const tgt = tf.add(
          embedding(p.tgtIn, params.scope("tokens"), TOKEN_VOCAB + USER_TOKENS, d),
          positionalEmbedding(TGT_LEN, params.scope("tgt_pos"), TGT_LEN, d),
        );
        const h = transformerDecoder(tgt, memory, params.scope("decoder"), config, {}, ctx);
        const logits = dense(tf.reshape(h, [b * TGT_LEN, d]), params.scope("out"), d, TOKEN_VOCAB) as tf.Tensor2D;
        return softmaxCrossEntropy(logits, p.tgtOut as tf.Tensor1D, { ignoreIndex: null });
      }),
  });
}
