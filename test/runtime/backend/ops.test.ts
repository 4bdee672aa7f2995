import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { matMulLast, safeCumsum, sliceAxis, sliceLast, stopGradient } from "../../../src/runtime/backend/ops.js";
import { ensureGradients } from "../../../src/runtime/backend/register-gradients.js";
import { expectNoLeakedTensors, expectTensorsClose, useCpuBackend } from "../../helpers/tf.js";

beforeAll(async () => {
  await useCpuBackend();
  await ensureGradients();
});

describe("stopGradient", () => {
  it("is the identity forward and blocks the gradient", () => {
    const x = tf.tensor1d([1, -2, 3]);
    expectTensorsClose(stopGradient(x), x, 0);
    // d/dx sum(stop(x) * x) = stop(x) = x, not 2x.
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(stopGradient(v), v)))(x);
    expectTensorsClose(g, [1, -2, 3], 0);
    // Entirely stopped: no connection at all, as in TensorFlow.
    expect(() => tf.grad((v: tf.Tensor) => tf.sum(tf.square(stopGradient(v))))(x)).toThrow(/Cannot compute gradient/);
  });

  it("lets a loss branch on a comparison, which tfjs cannot differentiate through", () => {
    const x = tf.tensor1d([-1, 2, -3]);
    const leaky = (v: tf.Tensor) => tf.sum(tf.where(tf.greater(v, 0), v, tf.mul(v, 0.1)));
    expect(() => tf.grad(leaky)(x)).toThrow(/Greater/);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.where(tf.greater(stopGradient(v), 0), v, tf.mul(v, 0.1))))(x);
    expectTensorsClose(g, [0.1, 1, 0.1], 1e-6);
  });

  it("shares the buffer and survives disposing its input", () => {
    const x = tf.tensor1d([4, 5]);
    const y = stopGradient(x);
    x.dispose();
    expectTensorsClose(y, [4, 5], 0);
    y.dispose();
  });

  it("gives the straight-through estimator x + stop(q - x) the identity gradient", () => {
    const x = tf.tensor1d([0.2, 1.7]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.add(v, stopGradient(tf.sub(tf.round(v), v))), [3, 5])))(x);
    expectTensorsClose(g, [3, 5], 0);
  });

  it("leaks nothing", async () => {
    const x = tf.tensor1d([1, 2]);
    const bytes = tf.memory().numBytes;
    await expectNoLeakedTensors(() => {
      stopGradient(x).dispose();
      tf.grad((v: tf.Tensor) => tf.sum(tf.mul(stopGradient(v), v)))(x).dispose();
    });
    expect(tf.memory().numBytes).toBe(bytes);
    x.dispose();
  });
});

describe("sliceAxis / sliceLast", () => {
  const x = tf.tensor2d([
    [1, 2, 3, 4],
    [5, 6, 7, 8],
  ]);

  it("slices along an axis with negative axis, negative start and default size", () => {
    expectTensorsClose(
      sliceLast(x, 1, 2),
      tf.tensor2d([
        [2, 3],
        [6, 7],
      ]),
      0,
    );
    expectTensorsClose(sliceLast(x, -1), tf.tensor2d([[4], [8]]), 0);
    expectTensorsClose(sliceAxis(x, 0, 1), tf.tensor2d([[5, 6, 7, 8]]), 0);
    expect(() => sliceLast(x, 3, 2)).toThrow(/out of range/);
  });

  it("has a gradient (scatters back into the sliced positions)", () => {
    const g = tf.grad((v: tf.Tensor) =>
      tf.sum(
        tf.mul(sliceLast(v, 1, 2), [
          [10, 20],
          [30, 40],
        ]),
      ),
    )(x);
    expectTensorsClose(
      g,
      tf.tensor2d([
        [0, 10, 20, 0],
        [0, 30, 40, 0],
      ]),
      0,
    );
  });
});

describe("safeCumsum", () => {
  const x = tf.tensor2d([
    [1, 2, 3],
    [4, 5, 6],
  ]);

  it("documents the tfjs bug it works around (throws or sums wrongly, depending on the build)", () => {
    let right = false;
    try {
      right =
        JSON.stringify(tf.cumsum(x, -1).arraySync()) ===
        JSON.stringify([
          [1, 3, 6],
          [4, 9, 15],
        ]);
    } catch {
      right = false;
    }
    expect(right).toBe(false);
  });

  it("accepts axis -1 and matches hand-computed sums, exclusive and reversed too", () => {
    expectTensorsClose(
      safeCumsum(x, -1),
      tf.tensor2d([
        [1, 3, 6],
        [4, 9, 15],
      ]),
      0,
    );
    expectTensorsClose(
      safeCumsum(x, -2),
      tf.tensor2d([
        [1, 2, 3],
        [5, 7, 9],
      ]),
      0,
    );
    expectTensorsClose(
      safeCumsum(x, -1, true),
      tf.tensor2d([
        [0, 1, 3],
        [0, 4, 9],
      ]),
      0,
    );
    expectTensorsClose(
      safeCumsum(x, -1, false, true),
      tf.tensor2d([
        [6, 5, 3],
        [15, 11, 6],
      ]),
      0,
    );
  });

  it("has the right gradient on a negative axis", () => {
    // d/dx_j sum_i w_i cumsum(x)_i = sum_{i>=j} w_i.
    const g = tf.grad((v: tf.Tensor) =>
      tf.sum(
        tf.mul(safeCumsum(v, -1), [
          [1, 2, 3],
          [1, 0, 0],
        ]),
      ),
    )(x);
    expectTensorsClose(
      g,
      tf.tensor2d([
        [6, 5, 3],
        [1, 0, 0],
      ]),
      0,
    );
  });
});

describe("matMulLast", () => {
  it("applies a weight matrix to the last axis and differentiates where tf.matMul cannot", () => {
    const x = tf.reshape(tf.range(0, 12), [2, 3, 2]);
    const w = tf.tensor2d([
      [1, 0, 2],
      [0, 1, 3],
    ]);
    const y = matMulLast(x, w);
    expect(y.shape).toEqual([2, 3, 3]);
    // row [a, b] -> [a, b, 2a + 3b]
    expectTensorsClose(tf.slice(y, [0, 1, 0], [1, 1, 3]), tf.tensor3d([[[2, 3, 13]]]), 0);
    // d/dw sum(x @ w) = (sum of x rows)ᵀ broadcast over n: column sums of x are 30 and 36.
    const g = tf.grad((v: tf.Tensor) => tf.sum(matMulLast(x, v as tf.Tensor2D)))(w);
    expectTensorsClose(
      g,
      tf.tensor2d([
        [30, 30, 30],
        [36, 36, 36],
      ]),
      0,
    );
  });
});
