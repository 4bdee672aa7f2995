// Sampled softmax over candidate items, shared by the sequential and two-tower models. Takes a
// scorer (how P query rows score item ids), the rows' target items, the loss config, the items'
// training frequencies and an Rng; gives the mean loss. Three sources of negatives:
//   in_batch   — the other rows' targets; logQ subtracts log p_j (p = frequency among training
//                targets) and duplicates of a row's own target are masked (losses/sampled-softmax.ts);
//   uniform    — `count` items drawn uniformly from 1..N, shared by every row;
//   popularity — `count` items drawn ∝ training frequency, shared by every row.
// For drawn negatives the logits are [positive, negatives]; logQ subtracts log(count · q_j) from
// each column, the positive's included (Jean et al. 2015), and a negative equal to the row's
// target is masked out (an accidental hit is not a negative).
import * as tf from "@tensorflow/tfjs-core";
import { inBatchLogits } from "../losses/sampled-softmax.js";
import { candidateHits, candidateLogits, candidateSoftmaxPerExample, type CandidateSoftmaxInputs } from "../losses/candidate-softmax.js";
import { softmaxCrossEntropy } from "../losses/softmax-cross-entropy.js";
import { weightedMean } from "../losses/weighted-mean.js";
import type { Rng } from "../random.js";
import type { SampledSoftmaxLoss } from "../../ir/index.js";

export interface CandidateScorer {
  /** [P]: row i scored against items[i]. */
  diagonal(items: Int32Array): tf.Tensor1D;
  /** [P, M]: every row scored against every one of the M items. */
  against(items: Int32Array): tf.Tensor2D;
}

/** Item probabilities for logQ and for drawing negatives; built once per model. */
export class ItemDistribution {
  /** Length N + 1: p_j = count_j / Σ count (0 for the pad). */
  readonly p: Float64Array;
  private readonly cumulative: Float64Array;

  constructor(counts: ArrayLike<number>) {
    this.p = new Float64Array(counts.length);
    this.cumulative = new Float64Array(counts.length);
    let total = 0;
    for (let i = 1; i < counts.length; i++) total += counts[i];
    let running = 0;
    for (let i = 1; i < counts.length; i++) {
      this.p[i] = total > 0 ? counts[i] / total : 1 / (counts.length - 1);
      running += this.p[i];
      this.cumulative[i] = running;
    }
  }

  /** log p_j, floored so items never seen in training give a large finite value, not −∞. */
  logP(items: Int32Array): Float32Array {
    const out = new Float32Array(items.length);
    for (let k = 0; k < items.length; k++) out[k] = Math.log(Math.max(this.p[items[k]], 1e-10));
    return out;
  }

  /** n items drawn ∝ p (with replacement), by binary search over the cumulative sums. */
  sample(n: number, rng: Rng): Int32Array {
    const out = new Int32Array(n);
    const last = this.cumulative.length - 1;
    const total = this.cumulative[last];
    for (let k = 0; k < n; k++) {
      const r = rng.next() * total;
      let lo = 1;
      let hi = last;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.cumulative[mid] > r) hi = mid;
        else lo = mid + 1;
      }
      out[k] = lo;
    }
    return out;
  }
}

export interface SampledSoftmaxArgs {
  scorer: CandidateScorer;
  /** [P] target item of each row (no padding: callers pass only rows that have a target). */
  targets: Int32Array;
  config: SampledSoftmaxLoss;
  /** Training-target frequencies (logQ, popularity sampling). */
  distribution: ItemDistribution;
  numItems: number;
  rng: Rng;
  /** Optional per-row weights [P]. */
  weights?: Float32Array;
}

/** The logits a sampled softmax runs over and each row's label column. */
export interface CandidateLogits {
  /** [P, M]: in_batch, the batch's targets (M = P); drawn negatives, [positive, negatives]. */
  logits: tf.Tensor2D;
  /** [P]: the column of each row's positive (i for in_batch, 0 for drawn negatives). */
  labels: tf.Tensor1D;
}

export function sampledSoftmaxLoss(args: SampledSoftmaxArgs): tf.Scalar {
  return tf.tidy(() => {
    const weights = args.weights === undefined ? undefined : tf.tensor1d(args.weights);
    // Drawn negatives: scored apart from the positive, never concatenated (losses/candidate-softmax.ts).
    if (args.config.negatives !== "in_batch") return weightedMean(candidateSoftmaxPerExample(drawnCandidates(args)), weights ?? null);
    const { logits, labels } = sampledSoftmaxLogits(args);
    // The label columns are classes, not padding, so nothing is ignored.
    return softmaxCrossEntropy(logits, labels, { weights, ignoreIndex: null });
  });
}

/** The candidate logits of sampledSoftmaxLoss (`weights` is not read). */
export function sampledSoftmaxLogits(args: SampledSoftmaxArgs): CandidateLogits {
  const { scorer, targets, config, distribution } = args;
  const tau = config.temperature;
  return tf.tidy(() => {
    const p = targets.length;
    if (config.negatives === "in_batch") {
      const logits = inBatchLogits(scorer.against(targets), {
        temperature: tau,
        logQ: config.logq ? distribution.logP(targets) : undefined,
        itemIds: targets,
      });
      return { logits, labels: tf.range(0, p, 1, "int32") as tf.Tensor1D };
    }
    return { logits: candidateLogits(drawnCandidates(args)), labels: tf.zeros([p], "int32") as tf.Tensor1D };
  });
}

/** Drawn negatives' scores and offsets: −log(count·q) per candidate (when logQ), hits masked. */
function drawnCandidates(args: SampledSoftmaxArgs): CandidateSoftmaxInputs {
  const { scorer, targets, config, distribution, rng } = args;
  const count = config.count;
  const negatives = config.negatives === "uniform" ? uniformItems(count, args.numItems, rng) : distribution.sample(count, rng);
  const logQ = (item: number) =>
    config.logq ? Math.log(count * (config.negatives === "uniform" ? 1 / args.numItems : Math.max(distribution.p[item], 1e-10))) : 0;
  const negLogQ = Float32Array.from(negatives, logQ);
  const scale = (x: tf.Tensor) => (config.temperature === 1 ? x : tf.div(x, config.temperature));
  return {
    positive: scale(scorer.diagonal(targets)) as tf.Tensor1D,
    negatives: scale(scorer.against(negatives)) as tf.Tensor2D,
    positiveOffsets: Float32Array.from(targets, (t) => -logQ(t)),
    negativeOffsets: negLogQ.map((x) => -x),
    hits: candidateHits(targets, negatives),
  };
}

/** n items drawn uniformly from 1..numItems (with replacement); also what `recspec prepare` hands over. */
export function uniformItems(n: number, numItems: number, rng: Rng): Int32Array {
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) out[k] = 1 + rng.int(numItems);
  return out;
}
