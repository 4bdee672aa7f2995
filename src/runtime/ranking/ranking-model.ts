// A pointwise ranking model of (user history, candidate item) pairs as a RecModel (Singh et al.
// 2023, PAPERS.md §2). Takes the IR attributes of a `ranking` model, the prepared data, a seed
// and, as the item option needs, a Semantic-ID table or content vectors. Gives:
//   user u      = pool over the history's item vectors (mean, or attention with a learned query —
//                 candidate-independent, so the whole catalogue can be scored per user);
//   candidate v = the item representation (item-representations.ts), shared with the history;
//   logit       = MLP([u, v, u ⊙ v]) → 1 (ReLU between layers, linear output);
//   loss        = mean logistic loss over, per positive (the observed next item), the positive
//                 with label 1 and `negatives` sampled items with label 0 — drawn ∝ training
//                 frequency (popularity) or uniformly over the items seen in training, seeded by
//                 the trainer's rng, redrawn when equal to the positive.
// Training examples: every prefix of each training sequence predicts its next item (cold items are
// already cut out of the training split by prepareDataset, and negatives are only drawn among
// training items, so a cold item is never trained on — not even as a negative).
// scoreItems scores the whole catalogue, running the MLP over (user, item) pairs in chunks of items;
// scoreCandidates scores only given candidates (the sampled evaluation of evaluate-ranking.ts).
import * as tf from "@tensorflow/tfjs-core";
import type { Batch } from "../data/batching.js";
import type { Example } from "../data/split.js";
import { binaryCrossEntropy } from "../losses/bce.js";
import { mlp } from "../layers/mlp.js";
import { ParamStore } from "../layers/params.js";
import type { LossContext } from "../models/rec-model.js";
import type { PreparedData } from "../pipeline/prepare-data.js";
import { Rng } from "../random.js";
import type { ItemFeatures, SemanticIdTable } from "./inputs.js";
import { attentionPool, meanPool } from "./history-pool.js";
import { NegativeSampler, trainingPairs, type TrainingPairs } from "./negative-sampler.js";
import { catalogueScores, PAIRS_PER_CALL, repeatRows } from "./pair-scores.js";
import type { PairwiseRanker } from "./ranker.js";
import { itemRepresentation, type ItemRepresentation, type ItemReprConfig } from "./item-representations.js";

export interface RankingConfig {
  data?: unknown;
  item: ItemReprConfig;
  user: { type: "history_pool"; history: number | null; pool: "mean" | "attention" };
  embedding: number;
  layers: number[];
  loss: { type: "logistic"; negatives: number; sampling: "popularity" | "uniform" };
}

export type RankingData = Pick<PreparedData, "numItems" | "history" | "split" | "splitType" | "trainCounts" | "trainTargets" | "coldMask">;

export interface RankingInputs {
  ids?: SemanticIdTable | null;
  features?: ItemFeatures | null;
}

export class RankingModel implements PairwiseRanker {
  readonly params: ParamStore;
  readonly numItems: number;
  readonly historyLength: number;
  readonly trainingExamples: readonly Example[];
  readonly item: ItemRepresentation;
  /** (user, item) pairs per MLP call in scoreItems (bounds activations; settable for tests). */
  pairsPerCall = PAIRS_PER_CALL;
  private readonly dim: number;
  private readonly sampler: NegativeSampler;

  constructor(
    readonly config: RankingConfig,
    data: RankingData,
    seed: number,
    inputs: RankingInputs = {},
    readonly name = "ranking",
  ) {
    if (config.loss.type !== "logistic") throw new Error(`model ${name}: ranking trains with a logistic loss, got ${config.loss.type}`);
    if (config.layers.length === 0) throw new Error(`model ${name}: layers must list at least one hidden size`);
    this.params = new ParamStore(seed);
    this.numItems = data.numItems;
    this.historyLength = config.user.history ?? data.history;
    this.dim = config.embedding;
    this.item = itemRepresentation(config.item, {
      numItems: data.numItems,
      dim: config.embedding,
      params: this.params.scope("item"),
      ids: inputs.ids ?? null,
      features: inputs.features ?? null,
      itemCounts: data.trainCounts,
    });
    this.trainingExamples = data.trainTargets;
    this.sampler = new NegativeSampler(data.trainCounts, data.coldMask, config.loss.sampling);
    // Build every parameter now, so the trainer and checkpoints see the full set from the start.
    tf.tidy(() => {
      const u = this.userVectors(new Int32Array(this.historyLength).fill(1), 1);
      this.logits(u, this.item.embed(new Int32Array([1])));
    });
  }

  /** The item representation's table budget (rows, parameters). */
  get budget() {
    return this.item.budget;
  }

  /** Pooled user vectors [count, dim] of left-padded histories [count, T]. */
  userVectors(histories: Int32Array, count: number): tf.Tensor2D {
    const T = histories.length / count;
    return tf.tidy(() => {
      const h = tf.reshape(this.item.embed(histories), [count, T, this.dim]) as tf.Tensor3D;
      return this.config.user.pool === "mean" ? meanPool(h, histories, count) : attentionPool(h, histories, count, this.params.scope("attention_pool"), this.dim);
    });
  }

  /** Logits [P] of P (user, item) pairs: users [P, dim], items [P, dim]. */
  logits(users: tf.Tensor2D, items: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => {
      const x = tf.concat([users, items, tf.mul(users, items)], 1);
      const out = mlp(x, this.params.scope("mlp"), { inDim: 3 * this.dim, sizes: [...this.config.layers, 1], activation: "relu" });
      return tf.reshape(out, [-1]) as tf.Tensor1D;
    });
  }

  loss(batch: Batch, ctx: LossContext): tf.Scalar {
    const { candidates, labels } = this.trainingCandidates(batch, ctx);
    return tf.tidy(() => binaryCrossEntropy(this.candidateLogits(batch.histories, batch.size, candidates), tf.tensor1d(labels)));
  }

  /**
   * The pairs a training step scores: per example its positive (label 1) then `negatives` drawn
   * items (label 0), [B·C] row-major with C = negatives + 1; drawn from the context's rng.
   */
  trainingCandidates(batch: Batch, ctx: LossContext): TrainingPairs {
    return trainingPairs(batch.targets, batch.size, this.config.loss.negatives, this.sampler, (ctx.rng ?? new Rng(0)).fork("negatives"));
  }

  /** Logits [B·C] of B histories, each against its C consecutive candidates. */
  candidateLogits(histories: Int32Array, count: number, candidates: Int32Array): tf.Tensor1D {
    const C = candidates.length / count;
    return tf.tidy(() => {
      const users = this.userVectors(histories, count);
      return this.logits(repeatRows(users, C), this.item.embed(candidates));
    });
  }

  lossWeight(batch: Batch): number {
    return batch.size;
  }

  stepBytes(batch: Batch): number {
    const pairs = batch.size * (this.config.loss.negatives + 1);
    const widths = 3 * this.dim + this.config.layers.reduce((a, b) => a + b, 0);
    // Forward and backward keep roughly three copies of each activation; the history lookups
    // gather up to L rows per item.
    return pairs * widths * 4 * 3 + batch.size * batch.length * this.dim * 4 * 4 * 3;
  }

  scoreItems(histories: Int32Array, count: number): tf.Tensor2D {
    return tf.tidy(() => {
      const users = this.userVectors(histories, count);
      const items = this.item.embed(Int32Array.from({ length: this.numItems + 1 }, (_, i) => i));
      return catalogueScores(users, items, (u, v) => this.logits(u, v), this.pairsPerCall);
    });
  }

  /** Scores [count, M] of each history against its own M candidates (candidates [count, M]). */
  scoreCandidates(histories: Int32Array, count: number, candidates: Int32Array): tf.Tensor2D {
    const M = candidates.length / count;
    return tf.tidy(() => {
      const users = this.userVectors(histories, count);
      const u = tf.reshape(tf.tile(tf.expandDims(users, 1), [1, M, 1]), [count * M, this.dim]) as tf.Tensor2D;
      return tf.reshape(this.logits(u, this.item.embed(candidates)), [count, M]) as tf.Tensor2D;
    });
  }

  dispose(): void {
    this.item.dispose();
    this.params.dispose();
  }
}

/** Builds a ranking model from its IR attributes or whole block ({name, attributes, train}). */
export function rankingModel(
  block: { name: string; attributes: RankingConfig; train?: { seed?: number } | null } | RankingConfig,
  data: RankingData,
  inputs: RankingInputs = {},
  seed?: number,
): RankingModel {
  if ("attributes" in block) return new RankingModel(block.attributes, data, seed ?? block.train?.seed ?? 0, inputs, block.name);
  return new RankingModel(block, data, seed ?? 0, inputs);
}

export { NegativeSampler };
