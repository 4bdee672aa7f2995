// SASRec (Kang & McAuley 2018) as a RecModel. Takes the IR attributes of a `sequential` model,
// the prepared data and a seed; gives a model whose next-item logits are the encoder's hidden
// state dotted with the (tied) item embedding table, h · Eᵀ over items 0..N.
//
// Training sequence of an example: history + target. Inputs are its last T items before the
// target, left-padded (the batch's histories as they come); the target at input position t is the
// item at t + 1, the example's target at the last position, and none where the input is padding.
// `positions: all` trains every position with a target, `last` only the final one. Only positions
// with a target reach the output layer: rows are gathered before the [P, N+1] logits are formed,
// which on short-history data sets is most of the saving.
// Losses: `softmax` (full catalogue, log-sum-exp, optional label smoothing) or `sampled_softmax`
// (see sampled-softmax.ts) with p_j from the training counts.
import * as tf from "@tensorflow/tfjs-core";
import type { Batch } from "../data/batching.js";
import type { Example } from "../data/split.js";
import { INFERENCE } from "../layers/dropout.js";
import { ParamStore } from "../layers/params.js";
import { softmaxCrossEntropy } from "../losses/softmax-cross-entropy.js";
import { Rng } from "../random.js";
import type { PreparedData } from "../pipeline/prepare-data.js";
import { unwrapBlock, type ModelBlock, type SequentialConfig } from "./config.js";
import type { LossContext, RecModel } from "./rec-model.js";
import { ItemDistribution, sampledSoftmaxLoss } from "./sampled-softmax.js";
import { encodeSequence, encoderStepBytes, itemTable, type SequenceEncoderOptions } from "./sequence-encoder.js";
import { usedLength } from "./sequence-input.js";

/** What the sequential model needs of the data: sizes, training examples and counts. */
export type SequentialData = Pick<PreparedData, "numItems" | "history" | "split" | "trainCounts">;

export class SequentialModel implements RecModel {
  readonly params: ParamStore;
  readonly numItems: number;
  readonly historyLength: number;
  readonly trainingExamples: readonly Example[];
  private readonly encoderOptions: SequenceEncoderOptions;
  private readonly distribution: ItemDistribution;

  constructor(
    readonly config: SequentialConfig,
    data: SequentialData,
    seed: number,
    readonly name = "sequential",
  ) {
    if (config.positions === "all" && !config.encoder.causal) {
      // Without the causal mask, position t would see the item it must predict.
      throw new Error(`model ${name}: positions = all needs a causal encoder (causal: true); use positions = last otherwise`);
    }
    this.params = new ParamStore(seed);
    this.numItems = data.numItems;
    this.historyLength = data.history;
    this.trainingExamples = data.split.train;
    this.encoderOptions = { numItems: data.numItems, embedding: config.embedding, encoder: config.encoder, historyLength: data.history };
    this.distribution = new ItemDistribution(data.trainCounts);
    // Build every parameter now, so the trainer and checkpoints see the full set from the start.
    tf.tidy(() => {
      this.encode(new Int32Array(this.historyLength).fill(1), 1);
    });
  }

  /** Hidden states [count, L, E] of the L used columns (the last one is the most recent item). */
  encode(histories: Int32Array, count: number, ctx: LossContext = INFERENCE): { hidden: tf.Tensor3D; ids: Int32Array; length: number } {
    return encodeSequence(histories, count, this.params, this.encoderOptions, ctx);
  }

  scoreItems(histories: Int32Array, count: number): tf.Tensor2D {
    return tf.tidy(() => {
      const { hidden, length } = this.encode(histories, count);
      const last = tf.reshape(tf.slice(hidden, [0, length - 1, 0], [count, 1, this.config.embedding]), [count, this.config.embedding]);
      return tf.matMul(last as tf.Tensor2D, this.table(), false, true);
    });
  }

  loss(batch: Batch, ctx: LossContext): tf.Scalar {
    const training = ctx.training;
    const rng = ctx.rng ?? new Rng(0);
    return tf.tidy(() => {
      const { hidden, ids, length } = this.encode(batch.histories, batch.size, training ? { training, rng } : INFERENCE);
      const { rows, targets } = targetPositions(ids, batch.targets, batch.size, length, training ? this.config.positions : "last");
      const e = this.config.embedding;
      const table = this.table();
      if (rows.length === 0) {
        // Nothing to predict: a zero that still depends on the parameters, so gradients exist.
        return tf.mul(tf.sum(hidden), 0) as tf.Scalar;
      }
      const flat = tf.reshape(hidden, [batch.size * length, e]) as tf.Tensor2D;
      const h = tf.gather(flat, tf.tensor1d(rows, "int32")) as tf.Tensor2D;
      const loss = this.config.loss;
      if (!training || loss.type === "softmax") {
        const logits = tf.matMul(h, table, false, true) as tf.Tensor2D;
        const smoothing = training && loss.type === "softmax" ? loss.label_smoothing : 0;
        return softmaxCrossEntropy(logits, tf.tensor1d(targets, "int32"), { labelSmoothing: smoothing, ignoreIndex: null });
      }
      return sampledSoftmaxLoss({
        scorer: {
          diagonal: (items) => tf.sum(tf.mul(h, tf.gather(table, tf.tensor1d(items, "int32"))), 1) as tf.Tensor1D,
          against: (items) => tf.matMul(h, tf.gather(table, tf.tensor1d(items, "int32")) as tf.Tensor2D, false, true),
        },
        targets,
        config: loss,
        distribution: this.distribution,
        numItems: this.numItems,
        rng: rng.fork("negatives"),
      });
    });
  }

  lossWeight(batch: Batch): number {
    return targetCount(batch, this.config.positions);
  }

  stepBytes(batch: Batch): number {
    const length = usedLength(batch.histories, batch.size, batch.length);
    const p = this.lossWeight(batch);
    const loss = this.config.loss;
    const columns =
      loss.type === "softmax" ? this.numItems + 1 : loss.negatives === "in_batch" ? p : loss.count + 1;
    // Logits, their softmax and the gradient buffer are alive together at the peak.
    const logits = p * columns * 4 * 3;
    return logits + encoderStepBytes(batch.size, length, this.encoderOptions);
  }

  dispose(): void {
    this.params.dispose();
  }

  private table(): tf.Tensor2D {
    return itemTable(this.params, this.numItems, this.config.embedding) as tf.Tensor2D;
  }
}

/**
 * Builds the SASRec model described by the IR: its attributes object, or the whole model block
 * ({name, attributes, train}), whose name and train.seed then serve when none are given.
 */
export function sequentialModel(
  config: SequentialConfig | ModelBlock<SequentialConfig>,
  data: SequentialData,
  seed?: number,
  name?: string,
): SequentialModel {
  const block = unwrapBlock(config, seed, name, "sequential");
  return new SequentialModel(block.attributes, data, block.seed, block.name);
}

/**
 * Positions that have a target. ids are the trimmed inputs [B, L]; position (b, t) predicts
 * ids[b, t+1] (t < L−1) or the example's target (t = L−1), unless its input is padding.
 * Gives flat row indices b·L + t and the targets.
 */
export function targetPositions(
  ids: Int32Array,
  exampleTargets: Int32Array,
  b: number,
  l: number,
  positions: "all" | "last",
): { rows: Int32Array; targets: Int32Array } {
  const rows: number[] = [];
  const targets: number[] = [];
  for (let i = 0; i < b; i++) {
    const from = positions === "all" ? 0 : l - 1;
    for (let t = from; t < l; t++) {
      if (ids[i * l + t] === 0) continue;
      const next = t < l - 1 ? ids[i * l + t + 1] : exampleTargets[i];
      if (next === 0) continue;
      rows.push(i * l + t);
      targets.push(next);
    }
  }
  return { rows: Int32Array.from(rows), targets: Int32Array.from(targets) };
}

/** How many positions of a batch have a target (the loss's denominator). */
export function targetCount(batch: Batch, positions: "all" | "last"): number {
  const length = usedLength(batch.histories, batch.size, batch.length);
  return targetPositions(trimmed(batch, length), batch.targets, batch.size, length, positions).rows.length;
}

function trimmed(batch: Batch, length: number): Int32Array {
  const t = batch.length;
  const out = new Int32Array(batch.size * length);
  for (let b = 0; b < batch.size; b++) out.set(batch.histories.subarray(b * t + t - length, (b + 1) * t), b * length);
  return out;
}
