// Multi-interest two-tower training step (Mehta et al. 2023 style): a user tower turning the last 20
// items into H = 4 interest vectors of D = 64, an item tower (an embedding), and an in-batch softmax
// over max-over-interests scores, batch 512. Built from src/runtime/layers and losses.
import * as tf from "@tensorflow/tfjs-core";
import { dense, embedding, multiInterest, ParamStore } from "../../src/runtime/layers/index.js";
import { inBatchSoftmaxFromScores } from "../../src/runtime/losses/sampled-softmax.js";
import { maxInterestTrainingScores } from "../../src/runtime/models/max-interest-scores.js";
import { Rng } from "../../src/runtime/random.js";
import { SASREC_ITEMS } from "./sasrec.js";
import { makeTrainStep, randomIdValues, randomIds, type TrainStep } from "./train-step.js";

const HISTORY = 20;
const D = 64;
const H = 4;

export function twoTowerStep(batch: number): TrainStep {
  const rng = new Rng(3);
  const params = new ParamStore(3);
  const vocab = SASREC_ITEMS + 1;
  const history = randomIds([batch, HISTORY], 1, vocab, rng);
  // Target ids on the host too: the in-batch softmax masks accidental hits from host ids.
  const targetIds = randomIdValues(batch, 1, vocab, rng);
  const target = tf.tensor1d(targetIds, "int32");
  return makeTrainStep({
    params,
    parts: [{ history, target, targetIds }],
    examples: batch,
    config: `H ${H}, D ${D}, history ${HISTORY}, in-batch softmax, batch ${batch}`,
    tensors: [history, target],
    loss: (p) =>
      tf.tidy(() => {
        const seq = dense(embedding(p.history, params.scope("items"), vocab, D, { maskPadding: true }), params.scope("user_proj"), D, D, {
          activation: "relu",
        });
        const users = multiInterest(seq, params.scope("interests"), { numInterests: H, dim: D, paddingMask: tf.notEqual(p.history, 0) });
        const items = embedding(p.target, params.scope("items"), vocab, D) as tf.Tensor2D;
        return inBatchSoftmaxFromScores(maxInterestTrainingScores(users, items), { itemIds: p.targetIds });
      }),
  });
}
