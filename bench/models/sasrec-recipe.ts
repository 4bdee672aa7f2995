// Training steps of the SASRec recipe (specs/sasrec_beauty.recspec): the model class
// generated/sasrec_beauty/model.ts defines — item embeddings d 64 plus learned positions over the
// last 50 items, 1 pre-LN layer (1 head, GELU feed-forward of 64, dropout 0.2) — so the step is the
// one `recspec run` trains, batch 128 over a Beauty-size catalogue, every position predicting the
// next item. Two losses over 256 negatives drawn uniformly per step and shared by the batch:
//   sampled   the recipe's own loss, sampled softmax with logQ (the class's `loss`);
//   gbce      gBCE with t = 0.75 (gSASRec), built from the class's encoder exactly as the
//             generated code of `loss = gbce(negatives: 256)` is (codegen/blocks/sequential.ts).
import * as tf from "@tensorflow/tfjs-core";
import { SasrecModel } from "../../generated/sasrec_beauty/model.js";
import type { Batch } from "../../src/runtime/data/batching.js";
import { sampledGbceLoss } from "../../src/runtime/losses/gbce-sampled.js";
import { targetPositions } from "../../src/runtime/models/target-positions.js";
import type { PreparedData } from "../../src/runtime/pipeline/prepare-data.js";
import { Rng } from "../../src/runtime/random.js";
import type { ForwardContext } from "../../src/runtime/layers/index.js";
import { SASREC_ITEMS } from "./sasrec.js";
import { makeTrainStep, type TrainStep } from "./train-step.js";

const HISTORY = 50;

export type RecipeLoss = "sampled" | "gbce";

export function sasrecRecipeStep(loss: RecipeLoss, batch: number): TrainStep {
  const rng = new Rng(3);
  const items = SASREC_ITEMS;
  // Only what the model's constructor reads: sizes and training counts (uniform negatives and
  // logQ do not depend on them), no examples.
  const data = {
    numItems: items,
    history: HISTORY,
    split: { train: [], validation: [], test: [] },
    trainCounts: Int32Array.from({ length: items + 1 }, (_, i) => (i === 0 ? 0 : 1 + (rng.nextUint32() % 50))),
  } as unknown as PreparedData;
  const model = new SasrecModel(data);
  const draw = () => 1 + (rng.nextUint32() % items);
  const part: Batch = {
    size: batch,
    length: HISTORY,
    users: Int32Array.from({ length: batch }, (_, i) => i),
    histories: Int32Array.from({ length: batch * HISTORY }, draw),
    targets: Int32Array.from({ length: batch }, draw),
  };
  const lossName = loss === "sampled" ? "sampled softmax (logQ)" : "gBCE (t 0.75)";
  return makeTrainStep({
    params: model.params,
    parts: [part],
    examples: batch,
    config: `d 64, 1 layer, len ${HISTORY}, ${lossName} over 256 uniform negatives of ${items} items, batch ${batch}`,
    tensors: [],
    loss: (b, ctx) => (loss === "sampled" ? model.loss(b, { training: true, rng: ctx.rng }) : gbceLoss(model, b, ctx)),
  });
}

/** The generated gBCE loss (all positions), on the recipe's encoder and item table. */
function gbceLoss(model: SasrecModel, batch: Batch, ctx: ForwardContext): tf.Scalar {
  return tf.tidy(() => {
    const { hidden, ids, length } = model.encode(batch.histories, batch.size, ctx);
    const { rows, targets } = targetPositions(ids, batch.targets, batch.size, length, "all");
    const h = tf.gather(tf.reshape(hidden, [batch.size * length, 64]), tf.tensor1d(rows, "int32")) as tf.Tensor2D; // [P, 64]
    const table = model.itemTable() as tf.Tensor2D;
    return sampledGbceLoss({
      scorer: {
        diagonal: (items) => tf.sum(tf.mul(h, tf.gather(table, tf.tensor1d(items, "int32"))), 1) as tf.Tensor1D,
        against: (items) => tf.matMul(h, tf.gather(table, tf.tensor1d(items, "int32")) as tf.Tensor2D, false, true),
      },
      targets,
      negatives: 256,
      t: 0.75,
      numItems: model.numItems,
      rng: (ctx.rng ?? new Rng(0)).fork("negatives"),
    });
  });
}
