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
  /** log p_j of each in-batch item's sampling probability [B], subtracted from column j. */
  logQ?: tf.Tensor1D;
  /** Item id of each row's positive [B]; entries (i, j ≠ i) with id_j = id_i are masked out. */
  itemIds?: tf.Tensor1D | ArrayLike<number>;
  /** Per-example weights [B]; the loss is Σ w·l / Σ w. */
  weights?: tf.Tensor1D;
}

/** Loss from user and item vectors: similarities are the dot products u_i · v_j. */
export function inBatchSoftmaxLoss(
  userVectors: tf.Tensor2D,
  itemVectors: tf.Tensor2D,
  options: InBatchSoftmaxOptions = {},
): tf.Scalar {
  if (userVectors.rank !== 2 || !tf.util.arraysEqual(userVectors.shape, itemVectors.shape)) {
    throw new Error(
      `inBatchSoftmaxLoss: user [${userVectors.shape}] and item [${itemVectors.shape}] vectors must both be [B, D]`,
    );
  }
  return tf.tidy(() => inBatchSoftmaxFromScores(tf.matMul(userVectors, itemVectors, false, true), options));
}

/** Loss from a [B, B] similarity matrix whose entry (i, j) scores user i against item j. */
export function inBatchSoftmaxFromScores(scores: tf.Tensor2D, options: InBatchSoftmaxOptions = {}): tf.Scalar {
  const [b, b2] = scores.shape;
  if (scores.rank !== 2 || b !== b2) throw new Error(`inBatchSoftmax: scores must be [B, B], got [${scores.shape}]`);
  const tau = options.temperature ?? 1;
  if (!(tau > 0)) throw new Error(`inBatchSoftmax: temperature must be positive, got ${tau}`);
  return tf.tidy(() => {
    let logits: tf.Tensor2D = tau === 1 ? scores : tf.div(scores, tau);
    if (options.logQ !== undefined) {
      if (options.logQ.size !== b) throw new Error(`inBatchSoftmax: logQ has ${options.logQ.size} entries, batch is ${b}`);
      logits = tf.sub(logits, tf.reshape(options.logQ, [1, b]));
    }
    if (options.itemIds !== undefined) {
      const ids = options.itemIds instanceof tf.Tensor ? tf.cast(options.itemIds, "int32") : tf.tensor1d(Array.from(options.itemIds), "int32");
      if (ids.size !== b) throw new Error(`inBatchSoftmax: ${ids.size} item ids for a batch of ${b}`);
      const rows = tf.range(0, b, 1, "int32");
      const sameItem = tf.equal(tf.reshape(ids, [b, 1]), tf.reshape(ids, [1, b]));
      const offDiagonal = tf.notEqual(tf.reshape(rows, [b, 1]), tf.reshape(rows, [1, b]));
      const accidental = tf.logicalAnd(sameItem, offDiagonal);
      logits = tf.where(accidental, tf.fill([b, b], MASKED_LOGIT), logits);
    }
    // Row i's positive is column i. No example is padding here, so nothing is ignored.
    const targets = tf.range(0, b, 1, "int32") as tf.Tensor1D;
    return softmaxCrossEntropy(logits, targets, { weights: options.weights, ignoreIndex: null });
  });
}
