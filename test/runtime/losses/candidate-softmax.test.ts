import * as tf from "@tensorflow/tfjs-core";
// tfjs-core's Node bundle registers no gradients; vitest can load the ES registration directly.
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { beforeAll, describe, expect, it } from "vitest";
import { candidateHits, candidateLogits, candidateSoftmaxPerExample, MASKED_LOGIT } from "../../../src/runtime/losses/candidate-softmax.js";
import { expectNoLeakedTensors, expectTensorsClose, useCpuBackend } from "../../helpers/tf.js";

beforeAll(useCpuBackend);

describe("candidateHits", () => {
  it("lists i·K + j, ascending, where negative j is row i's target (repeated negatives included)", () => {
    expect(Array.from(candidateHits([5, 7, 5], [7, 5, 9, 5]))).toEqual([1, 3, 4, 9, 11]);
    expect(Array.from(candidateHits([1, 2], [3, 4]))).toEqual([]);
  });
});

describe("candidateSoftmaxPerExample", () => {
  // Row 0: positive 1 (offset −0.5), negatives [2, 0] (offsets [0.25, −1]); row 1: positive 0,
  // negatives [3, 1], the second a hit (masked).
  const inputs = () => ({
    positive: tf.tensor1d([1, 0]),
    negatives: tf.tensor2d([
      [2, 0],
      [3, 1],
    ]),
    positiveOffsets: Float32Array.from([-0.5, 0]),
    negativeOffsets: Float32Array.from([0.25, -1]),
    hits: Int32Array.from([3]),
  });

  it("is logsumexp([pos + a, s + b]) − (pos + a), a hit left out, computed by hand", () => {
    const row0 = Math.log(Math.exp(0.5) + Math.exp(2.25) + Math.exp(-1)) - 0.5;
    const row1 = Math.log(Math.exp(0) + Math.exp(3.25)) - 0;
    const x = inputs();
    expectTensorsClose(candidateSoftmaxPerExample(x), [row0, row1], 1e-6);
    expectTensorsClose(candidateLogits(x), [0.5, 2.25, -1, 0, 3.25, 1 + MASKED_LOGIT], 1e-6);
  });

  it("has gradient softmax − onehot(0) for the positive and softmax for the negatives, 0 at a hit", async () => {
    const x = inputs();
    await expectNoLeakedTensors(() => {
      const [gp, gn] = tf.grads((p: tf.Tensor, n: tf.Tensor) =>
        tf.sum(candidateSoftmaxPerExample({ ...x, positive: p as tf.Tensor1D, negatives: n as tf.Tensor2D })),
      )([x.positive, x.negatives]);
      const e0 = [Math.exp(0.5), Math.exp(2.25), Math.exp(-1)];
      const s0 = e0[0] + e0[1] + e0[2];
      const s1 = 1 + Math.exp(3.25);
      expectTensorsClose(gp, [e0[0] / s0 - 1, 1 / s1 - 1], 1e-6);
      expectTensorsClose(gn, [e0[1] / s0, e0[2] / s0, Math.exp(3.25) / s1, 0], 1e-6);
      tf.dispose([gp, gn]);
    });
  });

  it("rejects offsets that do not fit the scores", () => {
    expect(() => candidateSoftmaxPerExample({ ...inputs(), negativeOffsets: new Float32Array(3) })).toThrow(/offsets/);
  });
});
