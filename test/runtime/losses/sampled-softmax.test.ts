import * as tf from "@tensorflow/tfjs-core";
// tfjs-core's Node bundle registers no gradients; vitest can load the ES registration directly.
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { beforeAll, describe, expect, it } from "vitest";
import { Rng } from "../../../src/runtime/random.js";
import { inBatchSoftmaxFromScores, inBatchSoftmaxLoss } from "../../../src/runtime/losses/sampled-softmax.js";
import { expectNoLeakedTensors, expectTensorsClose, useCpuBackend } from "../../helpers/tf.js";

beforeAll(useCpuBackend);

const eye2 = () =>
  tf.tensor2d([
    [1, 0],
    [0, 1],
  ]);

describe("in-batch sampled softmax", () => {
  it("matches a hand-worked 2×2 example", () => {
    // Similarities S = I. Row 0: log(e^1 + e^0) − 1; row 1 the same.
    const loss = inBatchSoftmaxLoss(eye2(), eye2());
    expect(loss.dataSync()[0]).toBeCloseTo(Math.log(Math.E + 1) - 1, 6);
  });

  it("applies temperature and the logQ correction: s_ij / τ − log p_j", () => {
    // τ = 0.5, p = [0.5, 0.25]: row 0 logits [2 − ln .5, 0 − ln .25], row 1 [0 − ln .5, 2 − ln .25].
    // exp of those: row 0 [2e², 4], row 1 [2, 4e²].
    const e2 = Math.exp(2);
    const l0 = Math.log(2 * e2 + 4) - Math.log(2 * e2);
    const l1 = Math.log(2 + 4 * e2) - Math.log(4 * e2);
    const logQ = [Math.log(0.5), Math.log(0.25)];
    const loss = inBatchSoftmaxLoss(eye2(), eye2(), { temperature: 0.5, logQ });
    expect(loss.dataSync()[0]).toBeCloseTo((l0 + l1) / 2, 6);
    // Per-example weights give the weighted mean.
    const weighted = inBatchSoftmaxLoss(eye2(), eye2(), { temperature: 0.5, logQ, weights: tf.tensor1d([1, 3]) });
    expect(weighted.dataSync()[0]).toBeCloseTo((l0 + 3 * l1) / 4, 6);
  });

  it("masks accidental hits off the diagonal only", () => {
    // Users 0 and 1 share item 7; user 2 has item 8. Scores are arbitrary.
    const scores = tf.tensor2d([
      [1, 2, 0.5],
      [3, 0, -1],
      [0.2, 0.4, 1],
    ]);
    const lse = (xs: number[]) => Math.log(xs.reduce((a, x) => a + Math.exp(x), 0));
    const l0 = lse([1, 0.5]) - 1; // column 1 masked
    const l1 = lse([0, -1]) - 0; // column 0 masked
    const l2 = lse([0.2, 0.4, 1]) - 1; // nothing masked
    const loss = inBatchSoftmaxFromScores(scores, { itemIds: [7, 7, 8] });
    expect(loss.dataSync()[0]).toBeCloseTo((l0 + l1 + l2) / 3, 6);
    // Same with the ids in an Int32Array; all-duplicate batches leave only the diagonal: loss 0.
    const typedIds = inBatchSoftmaxFromScores(scores, { itemIds: Int32Array.from([7, 7, 8]) });
    expect(typedIds.dataSync()[0]).toBeCloseTo((l0 + l1 + l2) / 3, 6);
    expect(inBatchSoftmaxFromScores(scores, { itemIds: [5, 5, 5] }).dataSync()[0]).toBeCloseTo(0, 6);
  });

  it("has the softmax-minus-diagonal gradient, zero on masked entries", () => {
    const scores = tf.tensor2d([
      [1, 2, 0.5],
      [3, 0, -1],
      [0.2, 0.4, 1],
    ]);
    const g = tf.grad((s: tf.Tensor) => inBatchSoftmaxFromScores(s as tf.Tensor2D, { itemIds: [7, 7, 8] }))(scores);
    const masked = tf.tensor2d([
      [1, -1e9, 0.5],
      [-1e9, 0, -1],
      [0.2, 0.4, 1],
    ]);
    const expected = tf.div(tf.sub(tf.softmax(masked), tf.eye(3)), 3);
    expectTensorsClose(g, expected, 1e-6);
    const gv = g.arraySync() as number[][];
    expect(gv[0][1]).toBe(0);
    expect(gv[1][0]).toBe(0);
  });

  it("differentiates through both towers without leaking", async () => {
    const rng = new Rng(1);
    const u = tf.tensor2d(
      Float32Array.from({ length: 12 }, () => rng.normal()),
      [4, 3],
    );
    const v = tf.tensor2d(
      Float32Array.from({ length: 12 }, () => rng.normal()),
      [4, 3],
    );
    const logQ = [-1, -2, -3, -4];
    await expectNoLeakedTensors(() => {
      const [gu, gv] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        inBatchSoftmaxLoss(a as tf.Tensor2D, b as tf.Tensor2D, { temperature: 0.2, logQ, itemIds: [1, 2, 1, 3] }),
      )([u, v]);
      // Reference gradient for the users: (softmax(L) − I) V / (τ·B), L the corrected, masked logits.
      const ref = tf.tidy(() => {
        const l = tf.sub(tf.div(tf.matMul(u, v, false, true), 0.2), tf.tensor2d([logQ]));
        const mask = tf.tensor2d([0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0], [4, 4], "bool");
        const masked = tf.where(mask, tf.fill([4, 4], -1e9), l);
        return tf.div(tf.matMul(tf.sub(tf.softmax(masked), tf.eye(4)), v), 0.2 * 4);
      });
      expectTensorsClose(gu, ref, 1e-5);
      expect(gv.shape).toEqual([4, 3]);
      tf.dispose([gu, gv, ref]);
    });
  });

  it("rejects bad shapes and temperatures", () => {
    expect(() => inBatchSoftmaxLoss(tf.zeros([2, 3]) as tf.Tensor2D, tf.zeros([3, 3]) as tf.Tensor2D)).toThrow(/\[B, D\]/);
    expect(() => inBatchSoftmaxFromScores(tf.zeros([2, 3]) as tf.Tensor2D)).toThrow(/\[B, B\]/);
    expect(() => inBatchSoftmaxFromScores(eye2(), { temperature: 0 })).toThrow(/temperature/);
    expect(() => inBatchSoftmaxFromScores(eye2(), { itemIds: [1, 2, 3] })).toThrow(/item ids/);
  });
});
