// In-batch sampled softmax for two-tower retrieval. Takes user vectors [B, D] and the vectors of
// their positive items [B, D] (or a ready [B, B] similarity matrix), a temperature τ, optional
// logQ correction, item ids for masking accidental hits, and per-example weights; gives the
// weighted mean over users of the cross-entropy of row i against its diagonal entry i.
// Logits: s_ij = (u_i · v_j) / τ − log p_j, where p_j is the probability that item j appears in a
// batch (Yi et al. 2019): popular items are in-batch negatives more often, and subtracting log p_j
// undoes that bias. An item that appears twice in the batch would be a false negative for the
// other user, so off-diagonal entries with the same item id as the diagonal are masked out.
import * as tf from "@tensorflow/tfjs-core";
import { softmaxCrossEntropy } from "./softmax-cross-entropy.js";

/** Logit given to masked entries: far below any real logit, but finite so 0·value stays 0. */
const MASKED_LOGIT = -1e9;

export interface InBatchSoftmaxOptions {
  /** Temperature τ dividing the similarities (default 1). */
  temperature?: number;
  /** log p_j of each in-batch item's sampling probability [B], subtracted from column j (a
   * constant, no gradient flows to it). Host values, not a tensor: the loss is built synchronously
   * inside a step, and a GPU backend cannot read a tensor back synchronously. */
  logQ?: ArrayLike<number>;
  /** Item id of each row's positive [B], on the host (as logQ); entries (i, j ≠ i) with id_j = id_i are masked out. */
  itemIds?: ArrayLike<number>;
  /** Per-example weights [B]; the loss is Σ w·l / Σ w. */
  weights?: tf.Tensor1D;
}

/** Loss from user and item vectors: similarities are the dot products u_i · v_j. */
export function inBatchSoftmaxLoss(userVectors: tf.Tensor2D, itemVectors: tf.Tensor2D, options: InBatchSoftmaxOptions = {}): tf.Scalar {
  if (userVectors.rank !== 2 || !tf.util.arraysEqual(userVectors.shape, itemVectors.shape)) {
    throw new Error(`inBatchSoftmaxLoss: user [${userVectors.shape}] and item [${itemVectors.shape}] vectors must both be [B, D]`);
  }
  return tf.tidy(() => inBatchSoftmaxFromScores(tf.matMul(userVectors, itemVectors, false, true), options));
}

/** Loss from a [B, B] similarity matrix whose entry (i, j) scores user i against item j. */
export function inBatchSoftmaxFromScores(scores: tf.Tensor2D, options: InBatchSoftmaxOptions = {}): tf.Scalar {
  return tf.tidy(() => {
    const logits = inBatchLogits(scores, options);
    // Row i's positive is column i. No example is padding here, so nothing is ignored.
    const targets = tf.range(0, scores.shape[0], 1, "int32") as tf.Tensor1D;
    return softmaxCrossEntropy(logits, targets, { weights: options.weights, ignoreIndex: null });
  });
}

/**
 * The [B, B] logits the in-batch softmax runs over: s_ij / τ − log p_j, with MASKED_LOGIT at
 * accidental hits (`weights` is not read). Public so that distillation can compare a student's and
 * a teacher's distributions over exactly these candidates.
 */
export function inBatchLogits(scores: tf.Tensor2D, options: InBatchSoftmaxOptions = {}): tf.Tensor2D {
  const [b, b2] = scores.shape;
  if (scores.rank !== 2 || b !== b2) throw new Error(`inBatchSoftmax: scores must be [B, B], got [${scores.shape}]`);
  const tau = options.temperature ?? 1;
  if (!(tau > 0)) throw new Error(`inBatchSoftmax: temperature must be positive, got ${tau}`);
  const offsets = inBatchOffsets(b, options.logQ, options.itemIds);
  return tf.tidy(() => {
    const logits: tf.Tensor2D = tau === 1 ? scores : tf.div(scores, tau);
    // One constant added to the logits: −log p_j per column and MASKED_LOGIT at accidental hits.
    // Adding rather than overwriting changes nothing: exp(−1e9 + s) underflows to 0 exactly, so
    // the loss and the gradient at masked entries are both 0, as with a select.
    return offsets === null ? logits : tf.add(logits, tf.tensor2d(offsets, [b, b]));
  });
}

/**
 * The [B, B] logit offsets (row-major) built on the host, or null when there are none: column j
 * gets −log p_j, and entry (i, j ≠ i) with id_j = id_i gets MASKED_LOGIT. Both inputs are constants
 * (no gradient), so comparing ids here replaces B² device comparisons inside the differentiated graph.
 */
export function inBatchOffsets(b: number, logQ?: ArrayLike<number>, itemIds?: ArrayLike<number>): Float32Array | null {
  if (logQ === undefined && itemIds === undefined) return null;
  const out = new Float32Array(b * b);
  if (logQ !== undefined) {
    if (logQ.length !== b) throw new Error(`inBatchSoftmax: logQ has ${logQ.length} entries, batch is ${b}`);
    for (let i = 0; i < b; i++) for (let j = 0; j < b; j++) out[i * b + j] = -logQ[j];
  }
  if (itemIds !== undefined) {
    const ids = itemIds;
    if (ids.length !== b) throw new Error(`inBatchSoftmax: ${ids.length} item ids for a batch of ${b}`);
    // Group rows by id: only ids seen more than once produce masked entries.
    const rowsById = new Map<number, number[]>();
    for (let i = 0; i < b; i++) {
      const rows = rowsById.get(ids[i]);
      if (rows === undefined) rowsById.set(ids[i], [i]);
      else rows.push(i);
    }
    for (const rows of rowsById.values()) {
      if (rows.length < 2) continue;
      for (const i of rows) for (const j of rows) if (i !== j) out[i * b + j] = MASKED_LOGIT;
    }
  }
  return out;
}
