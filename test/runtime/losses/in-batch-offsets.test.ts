import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { beforeAll, describe, expect, it } from "vitest";
import { inBatchOffsets, inBatchSoftmaxFromScores } from "../../../src/runtime/losses/sampled-softmax.js";
import { softmaxCrossEntropy } from "../../../src/runtime/losses/softmax-cross-entropy.js";
import { expectTensorsClose, useCpuBackend } from "../../helpers/tf.js";

beforeAll(useCpuBackend);

/** The former on-device construction: logQ subtracted, accidental hits overwritten by a select. */
function deviceMasked(scores: tf.Tensor2D, tau: number, logQ: number[], ids: number[], weights: tf.Tensor1D): tf.Scalar {
  const b = ids.length;
  const idT = tf.tensor1d(ids, "int32");
  const rows = tf.range(0, b, 1, "int32");
  let logits = tf.sub(tf.div(scores, tau), tf.reshape(tf.tensor1d(logQ), [1, b])) as tf.Tensor2D;
  const accidental = tf.logicalAnd(tf.equal(tf.reshape(idT, [b, 1]), tf.reshape(idT, [1, b])), tf.notEqual(tf.reshape(rows, [b, 1]), tf.reshape(rows, [1, b])));
  logits = tf.where(accidental, tf.fill([b, b], -1e9), logits);
  return softmaxCrossEntropy(logits, tf.range(0, b, 1, "int32") as tf.Tensor1D, { weights, ignoreIndex: null });
}

describe("host-built in-batch offsets", () => {
  it("puts −log p_j in column j and the mask only off the diagonal of repeated ids", () => {
    const off = inBatchOffsets(3, [-1, -2, -3], [7, 8, 7])!;
    expect(Array.from(off)).toEqual([1, 2, -1e9, 1, 2, 3, -1e9, 2, 3]);
    expect(inBatchOffsets(2)).toBeNull();
  });

  it("gives the same loss and score gradients as the on-device mask", () => {
    const ids = [4, 9, 4, 2, 9, 4];
    const logQ = [-1.5, -2, -1.5, -3, -2, -1.5];
    const scores = tf.randomNormal([6, 6], 0, 2, "float32", 11) as tf.Tensor2D;
    const weights = tf.tensor1d([1, 0.5, 2, 1, 1.5, 1]);
    const ours = (s: tf.Tensor) => inBatchSoftmaxFromScores(s as tf.Tensor2D, { temperature: 0.3, logQ, itemIds: ids, weights });
    const before = (s: tf.Tensor) => deviceMasked(s as tf.Tensor2D, 0.3, logQ, ids, weights);
    expect(ours(scores).dataSync()[0]).toBeCloseTo(before(scores).dataSync()[0], 5);
    const g = tf.grad(ours)(scores);
    expectTensorsClose(g, tf.grad(before)(scores), 1e-6);
    // Masked entries get no gradient at all.
    expect((g.arraySync() as number[][])[0][2]).toBe(0);
  });
});
