// Two-tower retrieval (user tower, item tower) built at run time from IR attributes: what a
// distilled two-tower student (and its teacher) still is, until the distill emitter spells students
// out; generated `two_tower` models are classes in model.ts composing the same pieces (towers.ts,
// max-interest-scores.ts, sampled-softmax.ts, weighting/). Takes the IR attributes of a `two_tower`
// model, its two tower blocks ({type, attributes}), the prepared data and a seed.
// Score s(u, i) = max_h <u_h, v_i> (for H = 1 a plain dot product), in training and in retrieval;
// inside the max only the winning head gets gradient (hard routing, PAPERS.md §1).
// Loss: sampled softmax (in-batch by default) with temperature and logQ, where p_j is item j's
// frequency among the training targets, times a per-example weight looked up by target item.
//
// Training examples: the data set's `trainTargets`, every training position predicting its next
// item (one example per user or window is too little for retrieval); examples with an empty
// history are not among them: the user tower would have nothing to encode.
//
// Weighting hook: `itemWeights` (length N+1, per-example weight of an example whose target is j,
// mean 1 over the training examples) is what the loss reads. `none` leaves it null (all 1),
// `inverse_frequency` sets w_j ∝ 1/(p_j·|I|), and `idw` starts uniform; the IDW trainer replaces
// it between epochs with setItemWeights().
import * as tf from "@tensorflow/tfjs-core";
import type { Batch } from "../data/batching.js";
import type { Example } from "../data/split.js";
import { softmaxCrossEntropy } from "../losses/softmax-cross-entropy.js";
import { INFERENCE, type ForwardContext } from "../layers/dropout.js";
import { maxInterestScores, targetInterestScores } from "../layers/multi-interest.js";
import { ParamStore } from "../layers/params.js";
import { Rng } from "../random.js";
import type { PreparedData } from "../pipeline/prepare-data.js";
import { unwrapBlock, type ItemTowerSpec, type ModelBlock, type TwoTowerConfig, type UserTowerSpec } from "./config.js";
import { maxInterestTrainingScores } from "./max-interest-scores.js";
import type { LossContext, RecModel } from "./rec-model.js";
import { ItemDistribution, sampledSoftmaxLogits, type CandidateLogits } from "./sampled-softmax.js";
import { usedLength } from "./sequence-input.js";
import { itemTower, userTower, type ItemTower, type UserTower } from "./towers.js";
import { ExampleWeights, targetCounts } from "../weighting/example-weights.js";
import { inverseFrequencyWeights } from "../weighting/inverse-frequency.js";

export type TwoTowerData = Pick<PreparedData, "numItems" | "history" | "split" | "splitType" | "trainTargets">;

export interface TowerSpecs {
  user: UserTowerSpec;
  item: ItemTowerSpec;
}

export class TwoTowerModel implements RecModel {
  readonly params: ParamStore;
  readonly numItems: number;
  readonly historyLength: number;
  readonly trainingExamples: readonly Example[];
  /** Length N+1: how often each item is a target of trainingExamples. */
  readonly targetCounts: Int32Array;
  readonly user: UserTower;
  readonly item: ItemTower;
  private readonly distribution: ItemDistribution;
  private readonly exampleWeights: ExampleWeights;

  constructor(
    readonly config: TwoTowerConfig,
    towers: TowerSpecs,
    data: TwoTowerData,
    seed: number,
    readonly name = "two_tower",
  ) {
    if (config.loss.type !== "sampled_softmax") {
      throw new Error(`model ${name}: two_tower trains with sampled_softmax, got loss ${config.loss.type}`);
    }
    this.params = new ParamStore(seed);
    this.numItems = data.numItems;
    this.historyLength = data.history;
    this.user = userTower(towers.user, this.params.scope("user_tower"), data.numItems, data.history);
    this.item = itemTower(towers.item.attributes, this.params.scope("item_tower"), data.numItems);
    if (this.user.dim !== this.item.dim) {
      throw new Error(`model ${name}: user tower gives ${this.user.dim}-d vectors, item tower ${this.item.dim}-d; they must match`);
    }
    if (config.score === "dot" && this.user.interests > 1) {
      throw new Error(`model ${name}: score = dot needs a single user vector, the user tower has ${this.user.interests} interests; use max_interest`);
    }
    this.trainingExamples = data.trainTargets;
    this.targetCounts = targetCounts(this.trainingExamples, data.numItems);
    this.distribution = new ItemDistribution(this.targetCounts);
    this.exampleWeights = new ExampleWeights(this.trainingExamples, data.numItems);
    if (config.weighting.type === "inverse_frequency") this.exampleWeights.set(inverseFrequencyWeights(this.targetCounts));
    // Build every parameter now, so the trainer and checkpoints see the full set from the start.
    tf.tidy(() => {
      this.userVectors(new Int32Array(this.historyLength).fill(1), 1);
      this.itemVectors(tf.tensor1d([1], "int32"));
      this.user.regularizer();
    });
  }

  /** Per-example weight by target item (length N+1), or null when every example weighs 1. */
  get itemWeights(): Float32Array | null {
    return this.exampleWeights.byItem;
  }

  /** Replaces the per-item example weights (the IDW hook); null restores uniform weights. The
   * weights are rescaled so their mean over the training examples is 1, keeping the loss scale. */
  setItemWeights(weights: Float32Array | null): void {
    this.exampleWeights.set(weights);
  }

  userVectors(histories: Int32Array, count: number, ctx: ForwardContext = INFERENCE): tf.Tensor3D {
    return this.user.vectors(histories, count, ctx);
  }

  itemVectors(ids: tf.Tensor1D, ctx: ForwardContext = INFERENCE): tf.Tensor2D {
    return this.item.vectors(ids, ctx);
  }

  scoreItems(histories: Int32Array, count: number): tf.Tensor2D {
    return tf.tidy(() => {
      const users = this.userVectors(histories, count);
      const items = this.itemVectors(tf.range(0, this.numItems + 1, 1, "int32") as tf.Tensor1D);
      return maxInterestScores(users, items);
    });
  }

  loss(batch: Batch, ctx: LossContext): tf.Scalar {
    return tf.tidy(() => {
      const { logits, labels, weights } = this.candidateLogits(batch, ctx);
      let loss = softmaxCrossEntropy(logits, labels, { weights, ignoreIndex: null });
      const extra = this.user.regularizer();
      if (extra !== null) loss = tf.add(loss, extra);
      return loss;
    });
  }

  /**
   * What the loss's softmax runs over for a batch: the candidate logits (scores / τ, logQ,
   * accidental hits masked), each row's label column and the per-example weights (undefined when
   * all are 1). `inBatch` takes the batch's targets as the candidates whatever the configured
   * negatives, so a teacher can score a distilled student's in-batch candidates.
   */
  candidateLogits(batch: Batch, ctx: LossContext, inBatch = false): CandidateLogits & { weights?: tf.Tensor1D } {
    const fctx: ForwardContext = ctx.training ? { training: true, rng: ctx.rng ?? new Rng(0) } : INFERENCE;
    const rng = ctx.rng ?? new Rng(0);
    const loss = this.config.loss as Extract<TwoTowerConfig["loss"], { type: "sampled_softmax" }>;
    return tf.tidy(() => {
      const users = this.userVectors(batch.histories, batch.size, fctx);
      const items = (ids: Int32Array) => this.itemVectors(tf.tensor1d(ids, "int32"), fctx);
      const { logits, labels } = sampledSoftmaxLogits({
        scorer: {
          diagonal: (ids) => targetInterestScores(users, items(ids)),
          against: (ids) => maxInterestTrainingScores(users, items(ids)),
        },
        targets: batch.targets,
        config: inBatch ? { ...loss, negatives: "in_batch" } : loss,
        distribution: this.distribution,
        numItems: this.numItems,
        rng: rng.fork("negatives"),
      });
      const weights = this.exampleWeights.of(batch.targets);
      return weights === undefined ? { logits, labels } : { logits, labels, weights };
    });
  }

  /** A distillation teacher's view: each row's logits against the batch's own targets, at inference. */
  inBatchLogits(batch: Batch): CandidateLogits {
    const { logits, labels } = this.candidateLogits(batch, { training: false }, true);
    return { logits, labels };
  }

  lossWeight(batch: Batch): number {
    return this.exampleWeights.total(batch.targets);
  }

  stepBytes(batch: Batch): number {
    const l = usedLength(batch.histories, batch.size, batch.length);
    const loss = this.config.loss;
    const columns = loss.type === "sampled_softmax" && loss.negatives !== "in_batch" ? loss.count + 1 : batch.size;
    return this.user.stepBytes(batch.size, l) + batch.size * columns * this.user.interests * 4 * 4 + batch.size * this.item.dim * 4 * 8;
  }

  dispose(): void {
    this.params.dispose();
  }
}

/**
 * Builds the two-tower model described by the IR: its attributes object or the whole model block
 * ({name, attributes, train}, whose name and train.seed serve when none are given), and its two
 * tower blocks ({type, attributes}).
 */
export function twoTowerModel(
  config: TwoTowerConfig | ModelBlock<TwoTowerConfig>,
  towers: TowerSpecs,
  data: TwoTowerData,
  seed?: number,
  name?: string,
): TwoTowerModel {
  const block = unwrapBlock(config, seed, name, "two_tower");
  return new TwoTowerModel(block.attributes, towers, data, block.seed, block.name);
}
