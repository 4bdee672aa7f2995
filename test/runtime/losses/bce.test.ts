import * as tf from "@tensorflow/tfjs-core";
// tfjs-core's Node bundle registers no gradients; vitest can load the ES registration directly.
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { beforeAll, describe, expect, it } from "vitest";
import { binaryCrossEntropy, binaryCrossEntropyPerExample } from "../../../src/runtime/losses/bce.js";
import { expectNoLeakedTensors, expectTensorsClose, useCpuBackend } from "../../helpers/tf.js";

beforeAll(useCpuBackend);

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe("binaryCrossEntropy", () => {
  it("matches the closed form, including |z| = 1000 without overflow", () => {
    const z = tf.tensor1d([-1000, -2, 0, 3, 1000, 1000]);
    const y = tf.tensor1d([1, 0, 1, 0.3, 0, 1]);
    const expected = [
      1000, // −log σ(−1000) = 1000 + log(1 + e^−1000)
      Math.log(1 + Math.exp(-2)), // −log(1 − σ(−2))
      Math.LN2,
      3 - 0.9 + Math.log(1 + Math.exp(-3)),
      1000,
      0,
    ];
    const per = binaryCrossEntropyPerExample(z, y);
    expectTensorsClose(per, expected, 1e-6);
    expect(binaryCrossEntropy(z, y).dataSync()[0]).toBeCloseTo(expected.reduce((a, b) => a + b) / 6, 3);
  });

  it("agrees with −y·log σ − (1−y)·log(1−σ) for moderate logits", () => {
    const zs = [-4, -0.5, 0.25, 2];
    const ys = [0.1, 1, 0, 0.7];
    const expected = zs.map((z, i) => -ys[i] * Math.log(sigmoid(z)) - (1 - ys[i]) * Math.log(1 - sigmoid(z)));
    expectTensorsClose(binaryCrossEntropyPerExample(tf.tensor1d(zs), tf.tensor1d(ys)), expected, 1e-5);
  });

  it("weights examples: Σ w·l / Σ w", () => {
    const z = tf.tensor1d([0, 2]);
    const y = tf.tensor1d([1, 0]);
    const l1 = 2 + Math.log(1 + Math.exp(-2));
    const loss = binaryCrossEntropy(z, y, { weights: tf.tensor1d([1, 3]) });
    expect(loss.dataSync()[0]).toBeCloseTo((Math.LN2 + 3 * l1) / 4, 5);
  });

  it("has gradient (σ(z) − y)/N, also at z = 0 and for huge |z|", () => {
    const zs = [0, 0, -1000, 1000, 1.5];
    const ys = [1, 0, 1, 1, 0.2];
    const y = tf.tensor1d(ys);
    const g = tf.grad((z: tf.Tensor) => binaryCrossEntropy(z, y))(tf.tensor1d(zs));
    expectTensorsClose(
      g,
      zs.map((z, i) => (sigmoid(z) - ys[i]) / 5),
      1e-6,
    );
  });

  it("works on [N, 1] logit columns and leaks nothing", async () => {
    const z = tf.tensor2d([[0.5], [-0.5]]);
    const y = tf.tensor2d([[1], [0]]);
    await expectNoLeakedTensors(() => {
      const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => binaryCrossEntropy(x, y))(z);
      expect(value.dataSync()[0]).toBeCloseTo(Math.log(1 + Math.exp(-0.5)), 6);
      expect(grad.shape).toEqual([2, 1]);
      value.dispose();
      grad.dispose();
    });
  });

  it("rejects shape mismatches", () => {
    expect(() => binaryCrossEntropy(tf.zeros([2]), tf.zeros([3]))).toThrow(/shape/);
  });
});
