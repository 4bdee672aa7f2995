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
import { dense } from "../layers/dense.js";
import { mlp } from "../layers/mlp.js";
import { ParamStore } from "../layers/params.js";
import type { RecModel, LossContext } from "../models/rec-model.js";
import type { PreparedData } from "../pipeline/prepare-data.js";
import { Rng } from "../random.js";
import type { ItemFeatures, SemanticIdTable } from "./inputs.js";
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

/** (user, item) pairs per MLP call when scoring: bounds the activations to a few tens of MB. */
const PAIRS_PER_CALL = 32_768;

export class RankingModel implements RecModel {
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
      const h = tf.reshape(this.item.embed(histories), [count, T, this.dim]);
      const keep = tf.tensor3d(Float32Array.from(histories, (id) => (id === 0 ? 0 : 1)), [count, T, 1]);
      if (this.config.user.pool === "mean") {
        const n = tf.maximum(tf.sum(keep, 1), 1);
        return tf.div(tf.sum(tf.mul(h, keep), 1), n) as tf.Tensor2D;
      }
      // Attention pooling: a_t = softmax_t(q · tanh(W h_t + b)) over the real items.
      const scope = this.params.scope("attention_pool");
      const hidden = dense(h, scope.scope("key"), this.dim, this.dim, { activation: "tanh" });
      const scores = dense(hidden, scope.scope("query"), this.dim, 1, { bias: false });
      const mask2 = tf.reshape(keep, [count, T]);
      const masked = tf.add(tf.reshape(scores, [count, T]), tf.mul(tf.sub(mask2, 1), 1e9));
      const weights = tf.expandDims(tf.mul(tf.softmax(masked), mask2), 2);
      return tf.sum(tf.mul(h, weights), 1) as tf.Tensor2D;
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
  trainingCandidates(batch: Batch, ctx: LossContext): { candidates: Int32Array; labels: Float32Array } {
    const rng = (ctx.rng ?? new Rng(0)).fork("negatives");
    const M = this.config.loss.negatives;
    const B = batch.size;
    const C = M + 1;
    const candidates = new Int32Array(B * C);
    const labels = new Float32Array(B * C);
    for (let b = 0; b < B; b++) {
      const target = batch.targets[b];
      candidates[b * C] = target;
      labels[b * C] = 1;
      for (let k = 1; k <= M; k++) candidates[b * C + k] = this.sampler.draw(rng, target);
    }
    return { candidates, labels };
  }

  /** Logits [B·C] of B histories, each against its C consecutive candidates. */
  candidateLogits(histories: Int32Array, count: number, candidates: Int32Array): tf.Tensor1D {
    const C = candidates.length / count;
    return tf.tidy(() => {
      const users = this.userVectors(histories, count);
      const repeated = tf.reshape(tf.tile(tf.expandDims(users, 1), [1, C, 1]), [count * C, this.dim]) as tf.Tensor2D;
      return this.logits(repeated, this.item.embed(candidates));
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
      const chunk = Math.max(1, Math.floor(this.pairsPerCall / count));
      const parts: tf.Tensor2D[] = [];
      for (let first = 0; first <= this.numItems; first += chunk) {
        const size = Math.min(chunk, this.numItems + 1 - first);
        parts.push(
          tf.tidy(() => {
            const v = tf.slice(items, [first, 0], [size, this.dim]);
            const u = tf.reshape(tf.tile(tf.expandDims(users, 1), [1, size, 1]), [count * size, this.dim]) as tf.Tensor2D;
            const w = tf.reshape(tf.tile(tf.expandDims(v, 0), [count, 1, 1]), [count * size, this.dim]) as tf.Tensor2D;
            return tf.reshape(this.logits(u, w), [count, size]) as tf.Tensor2D;
          }),
        );
      }
      return (parts.length === 1 ? parts[0] : tf.concat(parts, 1)) as tf.Tensor2D;
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

/** Negatives for training: ∝ training frequency, or uniform over items seen in training. */
export class NegativeSampler {
  private readonly cumulative: Float64Array;
  private readonly items: Int32Array;

  constructor(trainCounts: ArrayLike<number>, coldMask: ArrayLike<number>, sampling: "popularity" | "uniform") {
    const items: number[] = [];
    const weights: number[] = [];
    for (let i = 1; i < trainCounts.length; i++) {
      // Cold items have count 0; the mask check keeps them out even if a count slipped through.
      if (trainCounts[i] > 0 && coldMask[i] === 0) {
        items.push(i);
        weights.push(sampling === "uniform" ? 1 : trainCounts[i]);
      }
    }
    if (items.length < 2) throw new Error("ranking: negatives need at least two items seen in training");
    this.items = Int32Array.from(items);
    this.cumulative = new Float64Array(items.length);
    let total = 0;
    weights.forEach((w, k) => (this.cumulative[k] = total += w));
  }

  /** One item ≠ avoid (redrawn up to 20 times; a training item always has another to pick). */
  draw(rng: Rng, avoid: number): number {
    const total = this.cumulative[this.cumulative.length - 1];
    let item = avoid;
    for (let attempt = 0; attempt < 20 && item === avoid; attempt++) {
      const r = rng.next() * total;
      let lo = 0;
      let hi = this.cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.cumulative[mid] > r) hi = mid;
        else lo = mid + 1;
      }
      item = this.items[lo];
    }
    if (item === avoid) item = this.items[this.items[0] === avoid ? 1 : 0];
    return item;
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
