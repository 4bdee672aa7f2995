// Softmax cross-entropy over candidates [positive, negatives] (sampled softmax with drawn negatives).
// Takes the positives' scores [P], the negatives' scores [P, K], constant logit offsets (−log of
// each candidate's sampling rate: [P] for the positives, [K] for the shared negatives) and the
// accidental hits (a negative equal to the row's own target); gives the per-row loss
// logsumexp(z) − z[0] over z = [pos + posOffset, negatives + negOffset], a hit's offset being
// MASKED_LOGIT instead. Also those logits themselves, for callers that need them (distillation).
//
// On the wasm backend with the native addon the loss and its gradient are one kernel each and the
// [P, K + 1] logits are never built (backend/native-candidate-xent-kernels.ts); elsewhere they are,
// and softmaxCrossEntropyPerExample runs over them. Both give the same bits.
import * as tf from "@tensorflow/tfjs-core";
import { hasNativeCandidateXent, nativeCandidateXent } from "../backend/native-candidate-xent-kernels.js";
import { softmaxCrossEntropyPerExample } from "./softmax-cross-entropy.js";

/** Logit of a masked candidate: exp(MASKED_LOGIT − max) underflows to exactly 0. */
export const MASKED_LOGIT = -1e9;

export interface CandidateSoftmaxInputs {
  /** [P]: each row's score for its own target. */
  positive: tf.Tensor1D;
  /** [P, K]: each row's scores for the K negatives. */
  negatives: tf.Tensor2D;
  /** [P], added to the positives' scores. */
  positiveOffsets: Float32Array;
  /** [K], added to column j of the negatives. */
  negativeOffsets: Float32Array;
  /** Ascending flat indices i·K + j of the masked negatives (candidateHits). */
  hits: Int32Array;
}

/** Flat indices i·K + j, ascending, where negative item j is row i's target. O(P + K). */
export function candidateHits(targets: ArrayLike<number>, items: ArrayLike<number>): Int32Array {
  const k = items.length;
  const columns = new Map<number, number[]>();
  for (let j = 0; j < k; j++) {
    const list = columns.get(items[j]);
    if (list === undefined) columns.set(items[j], [j]);
    else list.push(j);
  }
  const hits: number[] = [];
  for (let i = 0; i < targets.length; i++) {
    const list = columns.get(targets[i]);
    if (list !== undefined) for (const j of list) hits.push(i * k + j);
  }
  return Int32Array.from(hits);
}

/** Per-row cross-entropy [P] of the candidates against column 0, the positive. */
export function candidateSoftmaxPerExample(inputs: CandidateSoftmaxInputs): tf.Tensor1D {
  const [p] = checkShapes(inputs);
  return tf.tidy(() => {
    if (hasNativeCandidateXent()) {
      const hits = tf.tensor1d(inputs.hits, "int32");
      return nativeCandidateXent(inputs.positive, inputs.negatives, tf.tensor1d(inputs.positiveOffsets), tf.tensor1d(inputs.negativeOffsets), hits);
    }
    return softmaxCrossEntropyPerExample(candidateLogits(inputs), tf.zeros([p], "int32") as tf.Tensor1D);
  });
}

/** The logits [P, K + 1]: [pos + posOffset, negatives + negOffset], a hit's offset MASKED_LOGIT. */
export function candidateLogits(inputs: CandidateSoftmaxInputs): tf.Tensor2D {
  const [p, k] = checkShapes(inputs);
  const c = k + 1;
  // One constant added to the logits, built row by row on the host.
  const offsets = new Float32Array(p * c);
  for (let i = 0; i < p; i++) {
    offsets[i * c] = inputs.positiveOffsets[i];
    offsets.set(inputs.negativeOffsets, i * c + 1);
  }
  for (const h of inputs.hits) offsets[Math.floor(h / k) * c + 1 + (h % k)] = MASKED_LOGIT;
  return tf.tidy(() => tf.add(tf.concat([tf.reshape(inputs.positive, [p, 1]), inputs.negatives], 1), tf.tensor2d(offsets, [p, c])) as tf.Tensor2D);
}

function checkShapes(inputs: CandidateSoftmaxInputs): [number, number] {
  const { positive, negatives } = inputs;
  if (negatives.rank !== 2 || positive.rank !== 1 || positive.shape[0] !== negatives.shape[0]) {
    throw new Error(`candidateSoftmax: positives [${positive.shape}] and negatives [${negatives.shape}] must be [P] and [P, K]`);
  }
  const [p, k] = negatives.shape;
  if (inputs.positiveOffsets.length !== p || inputs.negativeOffsets.length !== k) {
    throw new Error(
      `candidateSoftmax: ${inputs.positiveOffsets.length} positive and ${inputs.negativeOffsets.length} negative offsets for [${p}, ${k}] scores`,
    );
  }
  return [p, k];
}
