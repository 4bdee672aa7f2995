// SASRec training step (Kang & McAuley 2018) at Beauty scale: item embeddings d 64 plus learned
// positions over the last 50 items, a 2-layer causal self-attention encoder, and a full softmax over
// all 12,102 items at every position, logits from the shared item table (h · Eᵀ). Built from
// src/runtime/layers.
import * as tf from "@tensorflow/tfjs-core";
import { embedding, normal, ParamStore, positionalEmbedding, transformerEncoder, type TransformerConfig } from "../../src/runtime/layers/index.js";
import { softmaxCrossEntropy } from "../../src/runtime/losses/softmax-cross-entropy.js";
import { Rng } from "../../src/runtime/random.js";
import { makeTrainStep, microBatches, randomIds, type TrainStep } from "./train-step.js";

export const SASREC_ITEMS = 12_102;
const LEN = 50;
const D = 64;

interface SasrecBatch {
  seq: tf.Tensor;
  targets: tf.Tensor;
}

export function sasrecStep(batch: number, micro?: number): TrainStep {
  const rng = new Rng(2);
  const params = new ParamStore(2);
  const vocab = SASREC_ITEMS + 1; // id 0 = padding
  const parts: SasrecBatch[] = microBatches(batch, micro).map((b) => ({
    seq: randomIds([b, LEN], 1, vocab, rng),
    targets: randomIds([b * LEN], 1, vocab, rng),
  }));
  const config: TransformerConfig = { layers: 2, heads: 1, dModel: D, dFF: D, dropout: 0.2, causal: true };
  return makeTrainStep({
    params,
    parts,
    examples: batch,
    config: `d ${D}, 2 layers, len ${LEN}, full softmax over ${SASREC_ITEMS} items, batch ${batch}`,
    tensors: parts.flatMap((p) => [p.seq, p.targets]),
    loss: (p, ctx) =>
      tf.tidy(() => {
        const b = p.seq.shape[0];
        const items = params.scope("items");
        const x = tf.add(tf.mul(embedding(p.seq, items, vocab, D, { maskPadding: true }), Math.sqrt(D)), positionalEmbedding(LEN, params.scope("pos"), LEN, D));
        const h = transformerEncoder(x, params.scope("encoder"), config, { paddingMask: tf.notEqual(p.seq, 0) }, ctx);
        const table = items.get("table", [vocab, D], normal(0.05)) as tf.Tensor as tf.Tensor2D;
        const logits = tf.matMul(tf.reshape(h, [b * LEN, D]) as tf.Tensor2D, table, false, true) as tf.Tensor2D;
        return softmaxCrossEntropy(logits, p.targets as tf.Tensor1D);
      }),
  });
}
