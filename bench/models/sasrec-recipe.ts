// Training steps of the SASRec recipe (specs/sasrec_beauty.recspec): the model class
// generated/sasrec_beauty/model.ts defines — item embeddings d 64 plus learned positions over the
// last 50 items, pre-LN layers (1 head, GELU feed-forward of 64, dropout as the spec sets it; the
// config says how many layers) — so the step is the
// one `recspec run` trains, batch 128 over a Beauty-size catalogue, every position predicting the
// next item. Three losses, each built from the class's encoder and item table exactly as the
// generated code of that `loss = …` is (codegen/blocks/sequential.ts), whichever loss the spec
// trains with today:
//   sampled   sampled softmax with logQ over 256 uniform negatives per step, shared by the batch
//             (`loss = sampled_softmax(negatives: uniform, count: 256)`);
//   gbce      gBCE with t = 0.75 (gSASRec) over 256 such negatives (`loss = gbce(negatives: 256)`);
//   softmax   the full softmax over the catalogue (`loss = softmax`).
import * as tf from "@tensorflow/tfjs-core";
import { SasrecModel } from "../../generated/sasrec_beauty/model.js";
import type { Batch } from "../../src/runtime/data/batching.js";
import { sampledGbceLoss } from "../../src/runtime/losses/gbce-sampled.js";
import { softmaxCrossEntropy } from "../../src/runtime/losses/softmax-cross-entropy.js";
import { ItemDistribution, sampledSoftmaxLoss, type CandidateScorer } from "../../src/runtime/models/sampled-softmax.js";
import { targetPositions } from "../../src/runtime/models/target-positions.js";
import type { PreparedData } from "../../src/runtime/pipeline/prepare-data.js";
import { Rng } from "../../src/runtime/random.js";
import type { ForwardContext } from "../../src/runtime/layers/index.js";
import { SASREC_ITEMS } from "./sasrec.js";
import { makeTrainStep, type TrainStep } from "./train-step.js";

const HISTORY = 50;
const NEGATIVES = 256;

export type RecipeLoss = "sampled" | "gbce" | "softmax";

const LOSS_NAMES: Record<RecipeLoss, string> = {
  sampled: `sampled softmax (logQ) over ${NEGATIVES} uniform negatives of`,
  gbce: `gBCE (t 0.75) over ${NEGATIVES} uniform negatives of`,
  softmax: "full softmax over",
};

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
  const distribution = new ItemDistribution(data.trainCounts);
  const draw = () => 1 + (rng.nextUint32() % items);
  const part: Batch = {
    size: batch,
    length: HISTORY,
    users: Int32Array.from({ length: batch }, (_, i) => i),
    histories: Int32Array.from({ length: batch * HISTORY }, draw),
    targets: Int32Array.from({ length: batch }, draw),
  };
  // The class's layer count (the spec's), read off its parameters: encoder/layer<i>/….
  const layers = new Set([...model.params.variables().keys()].map((name) => /encoder\/layer(\d+)\//.exec(name)?.[1]).filter((i) => i !== undefined)).size;
  return makeTrainStep({
    params: model.params,
    parts: [part],
    examples: batch,
    config: `d 64, ${layers} layer${layers === 1 ? "" : "s"}, len ${HISTORY}, ${LOSS_NAMES[loss]} ${items} items, batch ${batch}`,
    tensors: [],
    loss: (b, ctx) => recipeLoss(loss, model, distribution, b, ctx),
  });
}

/** The generated training loss `loss` (all positions) on the recipe's encoder and item table. */
function recipeLoss(loss: RecipeLoss, model: SasrecModel, distribution: ItemDistribution, batch: Batch, ctx: ForwardContext): tf.Scalar {
  return tf.tidy(() => {
    const { hidden, ids, length } = model.encode(batch.histories, batch.size, ctx);
    const { rows, targets } = targetPositions(ids, batch.targets, batch.size, length, "all");
    const h = tf.gather(tf.reshape(hidden, [batch.size * length, 64]), tf.tensor1d(rows, "int32")) as tf.Tensor2D; // [P, 64]
    const table = model.itemTable() as tf.Tensor2D;
    if (loss === "softmax") {
      const logits = tf.matMul(h, table, false, true) as tf.Tensor2D; // [P, N + 1]
      return softmaxCrossEntropy(logits, tf.tensor1d(targets, "int32"), { labelSmoothing: 0, ignoreIndex: null });
    }
    const scorer: CandidateScorer = {
      diagonal: (items) => tf.sum(tf.mul(h, tf.gather(table, tf.tensor1d(items, "int32"))), 1) as tf.Tensor1D,
      against: (items) => tf.matMul(h, tf.gather(table, tf.tensor1d(items, "int32")) as tf.Tensor2D, false, true),
    };
    const rng = (ctx.rng ?? new Rng(0)).fork("negatives");
    if (loss === "gbce") return sampledGbceLoss({ scorer, targets, negatives: NEGATIVES, t: 0.75, numItems: model.numItems, rng });
    return sampledSoftmaxLoss({
      scorer,
      targets,
      config: { type: "sampled_softmax", negatives: "uniform", count: NEGATIVES, logq: true, temperature: 1 },
      distribution,
      numItems: model.numItems,
      rng,
    });
  });
}
