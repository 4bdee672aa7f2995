import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { beforeAll, describe, expect, it } from "vitest";
import { maxInterestScores } from "../../../src/runtime/layers/multi-interest.js";
import { maxInterestTrainingScores, maxOverHeads } from "../../../src/runtime/models/max-interest-scores.js";
import { expectNoLeakedTensors, expectTensorsClose, useCpuBackend } from "../../helpers/tf.js";

beforeAll(useCpuBackend);

describe("host max over heads", () => {
  it("gives the per-column maximum and sends dy only to the winning head", () => {
    // b = 1, h = 2, n = 3: head 0 = [1, 5, 2], head 1 = [4, 0, 2] (a tie in column 2).
    const x = tf.tensor3d([
      [
        [1, 5, 2],
        [4, 0, 2],
      ],
    ]);
    expect(Array.from(maxOverHeads(x).dataSync())).toEqual([4, 5, 2]);
    const dy = tf.tensor2d([[10, 20, 30]]);
    const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(maxOverHeads(a as tf.Tensor3D), dy)))(x);
    // Ties share dy as tf.max does: both heads get 30 in column 2.
    expect(Array.from(g.dataSync())).toEqual([0, 20, 30, 10, 0, 30]);
  });

  it("matches maxInterestScores in value and in gradients, ties included", () => {
    const users = tf.randomNormal([5, 3, 4], 0, 1, "float32", 1);
    // User 4's heads are identical (a one-item history): every column is a three-way tie.
    const tied = tf.concat([tf.slice(users, [0, 0, 0], [4, 3, 4]), tf.tile(tf.slice(users, [4, 0, 0], [1, 1, 4]), [1, 3, 1])], 0);
    const items = tf.randomNormal([6, 4], 0, 1, "float32", 2);
    const weights = tf.randomNormal([5, 6], 0, 1, "float32", 3);
    const f = (score: (u: tf.Tensor, v: tf.Tensor) => tf.Tensor) => (u: tf.Tensor, v: tf.Tensor) => tf.sum(tf.mul(score(u, v), weights));
    expectTensorsClose(maxInterestTrainingScores(tied, items), maxInterestScores(tied, items), 1e-6);
    const [gu, gv] = tf.grads(f(maxInterestTrainingScores))([tied, items]);
    const [ru, rv] = tf.grads(f(maxInterestScores))([tied, items]);
    expectTensorsClose(gu, ru, 1e-5);
    expectTensorsClose(gv, rv, 1e-5);
    // The tied user's gradient really is shared: each of its heads gets the same non-zero row.
    const tiedRows = tf.slice(gu, [4, 0, 0], [1, 3, 4]).arraySync() as number[][][];
    expect(Math.abs(tiedRows[0][0][0])).toBeGreaterThan(0);
    expect(tiedRows[0][1]).toEqual(tiedRows[0][0]);
    expect(tiedRows[0][2]).toEqual(tiedRows[0][0]);
  });

  it("passes one head straight through and leaks no tensors", async () => {
    const users = tf.randomNormal([3, 1, 2], 0, 1, "float32", 4);
    const items = tf.randomNormal([4, 2], 0, 1, "float32", 5);
    expectTensorsClose(maxInterestTrainingScores(users, items), tf.matMul(tf.reshape(users, [3, 2]), items, false, true), 1e-6);
    await expectNoLeakedTensors(() => {
      const g = tf.grad((u: tf.Tensor) => tf.sum(maxInterestTrainingScores(u, items)))(users);
      g.dispose();
    });
  });
});
