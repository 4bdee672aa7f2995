import * as tf from "@tensorflow/tfjs-core";
// tfjs-core's Node bundle registers no gradients; vitest can load the ES registration directly.
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadNativeBlas } from "../../../src/runtime/backend/native-blas.js";
import { LOG_SUM_EXP_ROWS, SOFTMAX_XENT_GRAD } from "../../../src/runtime/backend/native-softmax-xent-kernels.js";
import { selectBackend } from "../../../src/runtime/backend/select-backend.js";
import { Rng } from "../../../src/runtime/random.js";
import { softmaxCrossEntropy, softmaxCrossEntropyPerExample } from "../../../src/runtime/losses/softmax-cross-entropy.js";
import { expectNoLeakedTensors, expectTensorsClose, useCpuBackend } from "../../helpers/tf.js";

beforeAll(useCpuBackend);

/** Reference built the obvious way: a one-hot (smoothed) target times log-softmax. */
function naiveLoss(z: tf.Tensor2D, targets: number[], eps = 0, weights: number[] | null = null, ignore: number | null = 0): tf.Scalar {
  return tf.tidy(() => {
    const [n, c] = z.shape;
    const dist = tf.add(tf.mul(tf.oneHot(tf.tensor1d(targets, "int32"), c), 1 - eps), eps / c);
    const per = tf.neg(tf.sum(tf.mul(dist, tf.logSoftmax(z)), 1));
    const w = targets.map((t, i) => (ignore !== null && t === ignore ? 0 : (weights?.[i] ?? 1)));
    const wt = tf.tensor1d(w);
    void n;
    return tf.div(tf.sum(tf.mul(per, wt)), tf.sum(wt)) as tf.Scalar;
  });
}

function randomLogits(n: number, c: number, seed: number, scale = 3): tf.Tensor2D {
  const rng = new Rng(seed);
  return tf.tensor2d(
    Float32Array.from({ length: n * c }, () => scale * rng.normal()),
    [n, c],
  );
}

describe("softmaxCrossEntropy", () => {
  it("equals logsumexp(z) − z[target], computed by hand", () => {
    const z = tf.tensor2d([
      [1, 2, 3],
      [1, 0, -1],
    ]);
    const t = tf.tensor1d([2, 1], "int32");
    const l0 = Math.log(Math.E + Math.E ** 2 + Math.E ** 3) - 3;
    const l1 = Math.log(Math.E + 1 + Math.exp(-1)) - 0;
    const per = softmaxCrossEntropyPerExample(z, t);
    expectTensorsClose(per, [l0, l1], 1e-6);
    const loss = softmaxCrossEntropy(z, t);
    expect(loss.shape).toEqual([]);
    expect(loss.dataSync()[0]).toBeCloseTo((l0 + l1) / 2, 6);
    tf.dispose([z, t, per, loss]);
  });

  it("leaves padding targets (0) out of the mean, and gives 0 when all are padding", () => {
    const z = tf.tensor2d([
      [1, 2, 3],
      [5, 0, 0],
    ]);
    const loss = softmaxCrossEntropy(z, tf.tensor1d([2, 0], "int32"));
    expect(loss.dataSync()[0]).toBeCloseTo(Math.log(Math.E + Math.E ** 2 + Math.E ** 3) - 3, 6);
    const none = softmaxCrossEntropy(z, tf.tensor1d([0, 0], "int32"));
    expect(none.dataSync()[0]).toBe(0);
    const kept = softmaxCrossEntropy(z, tf.tensor1d([0, 0], "int32"), { ignoreIndex: null });
    expect(kept.dataSync()[0]).toBeGreaterThan(0);
  });

  it("weights examples and applies label smoothing like the one-hot formula", () => {
    const z = randomLogits(6, 5, 1);
    const targets = [1, 4, 0, 2, 3, 3];
    const weights = [1, 2, 5, 0.5, 1, 3];
    const loss = softmaxCrossEntropy(z, tf.tensor1d(targets, "int32"), {
      weights: tf.tensor1d(weights),
      labelSmoothing: 0.1,
    });
    expectTensorsClose(loss, naiveLoss(z, targets, 0.1, weights), 1e-5);
  });

  it("accepts float targets", () => {
    const z = randomLogits(3, 4, 2);
    expectTensorsClose(softmaxCrossEntropy(z, tf.tensor1d([1, 2, 3], "float32")), naiveLoss(z, [1, 2, 3]), 1e-6);
  });

  it("stays finite for huge logits", () => {
    const z = tf.tensor2d([[1000, -1000, 0]]);
    expectTensorsClose(softmaxCrossEntropyPerExample(z, tf.tensor1d([1], "int32")), [2000], 1e-6);
    expectTensorsClose(softmaxCrossEntropyPerExample(z, tf.tensor1d([0], "int32")), [0], 1e-6);
  });

  it("has gradient (softmax − onehot)/N, equal to autodiff of the one-hot version", () => {
    const z = randomLogits(4, 6, 3);
    const targets = [5, 1, 2, 3];
    const t = tf.tensor1d(targets, "int32");
    const g = tf.grad((x: tf.Tensor) => softmaxCrossEntropy(x as tf.Tensor2D, t))(z);
    const expected = tf.div(tf.sub(tf.softmax(z), tf.oneHot(t, 6)), 4);
    expectTensorsClose(g, expected, 1e-6);
    const gNaive = tf.grad((x: tf.Tensor) => naiveLoss(x as tf.Tensor2D, targets))(z);
    expectTensorsClose(g, gNaive, 1e-6);
  });

  it("matches the one-hot gradient with smoothing, weights and ignored rows", () => {
    const z = randomLogits(7, 9, 4);
    const targets = [0, 8, 3, 3, 0, 1, 6];
    const weights = [1, 2, 3, 4, 5, 6, 7];
    const opts = { weights: tf.tensor1d(weights), labelSmoothing: 0.2 };
    const g = tf.grad((x: tf.Tensor) => softmaxCrossEntropy(x as tf.Tensor2D, tf.tensor1d(targets, "int32"), opts))(z);
    const gNaive = tf.grad((x: tf.Tensor) => naiveLoss(x as tf.Tensor2D, targets, 0.2, weights))(z);
    expectTensorsClose(g, gNaive, 1e-6);
    // Ignored rows get no gradient at all.
    expectTensorsClose(tf.slice(g, [0, 0], [1, 9]), new Float32Array(9), 0);
  });

  it("passes an upstream gradient through the per-example losses", () => {
    const z = randomLogits(3, 4, 5);
    const t = tf.tensor1d([1, 2, 3], "int32");
    const dy = tf.tensor1d([2, -1, 0.5]);
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(softmaxCrossEntropyPerExample(x as tf.Tensor2D, t), dy)))(z);
    const expected = tf.mul(tf.sub(tf.softmax(z), tf.oneHot(t, 4)), tf.reshape(dy, [3, 1]));
    expectTensorsClose(g, expected, 1e-6);
  });

  it("leaks no tensors in the forward or the backward pass", async () => {
    const z = randomLogits(5, 8, 6);
    const t = tf.tensor1d([1, 0, 7, 2, 2], "int32");
    const w = tf.tensor1d([1, 1, 2, 2, 3]);
    await expectNoLeakedTensors(() => {
      softmaxCrossEntropy(z, t, { weights: w, labelSmoothing: 0.1 }).dispose();
      const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => softmaxCrossEntropy(x as tf.Tensor2D, t, { weights: w, labelSmoothing: 0.1 }))(z);
      value.dispose();
      grad.dispose();
    });
  });

  it("rejects mismatched shapes and bad smoothing", () => {
    const z = tf.zeros([2, 3]) as tf.Tensor2D;
    expect(() => softmaxCrossEntropy(z, tf.tensor1d([1, 1, 1], "int32"))).toThrow(/do not match/);
    expect(() => softmaxCrossEntropy(z, tf.tensor1d([1, 1], "int32"), { labelSmoothing: 1 })).toThrow(/smoothing/);
  });
});

describe.skipIf(typeof loadNativeBlas() === "string")("softmaxCrossEntropy on wasm with the native addon", () => {
  afterAll(useCpuBackend);

  /** Loss and gradient of one case on the current backend, as plain arrays. */
  function lossAndGrad(values: Float32Array, n: number, c: number, targets: number[], eps: number, weights: number[] | null) {
    return tf.tidy(() => {
      const z = tf.tensor2d(values, [n, c]);
      const t = tf.tensor1d(targets, "int32");
      const opts = { labelSmoothing: eps, weights: weights === null ? undefined : tf.tensor1d(weights) };
      const f = (x: tf.Tensor) => softmaxCrossEntropy(x as tf.Tensor2D, t, opts);
      return [Array.from(f(z).dataSync()), Array.from(tf.grad(f)(z).dataSync())];
    });
  }

  it("runs the one-pass kernels and agrees with the cpu backend: smoothing, weights, padding, huge logits, a large catalogue", async () => {
    const rng = new Rng(9);
    const cases: [number, number, number[], number, number[] | null][] = [
      [4, 6, [5, 1, 2, 3], 0, null],
      [7, 9, [0, 8, 3, 3, 0, 1, 6], 0.2, [1, 2, 3, 4, 5, 6, 7]],
      [300, 3001, Array.from({ length: 300 }, (_, i) => (i * 37) % 3001), 0.1, null],
    ];
    for (const [n, c, targets, eps, weights] of cases) {
      const values = Float32Array.from({ length: n * c }, () => 3 * rng.normal());
      values[0] = 1000; // a huge logit: log-sum-exp must subtract the row's max
      await tf.setBackend("cpu");
      const cpu = lossAndGrad(values, n, c, targets, eps, weights);
      await selectBackend("wasm", { native: true });
      const wasm = lossAndGrad(values, n, c, targets, eps, weights);
      expectTensorsClose(wasm[0], cpu[0], 1e-5);
      expectTensorsClose(wasm[1], cpu[1], 1e-6);
    }
    const z = randomLogits(3, 5, 1);
    const info = await tf.profile(() => tf.grad((x: tf.Tensor) => softmaxCrossEntropy(x as tf.Tensor2D, tf.tensor1d([1, 2, 3], "int32")))(z));
    expect(info.kernelNames).toEqual(expect.arrayContaining([LOG_SUM_EXP_ROWS, SOFTMAX_XENT_GRAD]));
    expect(info.kernelNames).not.toContain("TensorScatterUpdate");
    z.dispose();
  });
});
