import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { expectTensorsClose, useCpuBackend } from "../../helpers/tf.js";
import { causalBias, combineBiases, maskFromIds, MASKED, paddingBias } from "../../../src/runtime/layers/masks.js";

beforeAll(useCpuBackend);
const M = MASKED;

describe("attention masks", () => {
  it("builds a lower-triangular causal bias", () => {
    expectTensorsClose(
      causalBias(3, 3),
      tf.tensor2d([
        [0, M, M],
        [0, 0, M],
        [0, 0, 0],
      ]),
    );
  });

  it("right-aligns the causal bias when there are fewer queries than keys", () => {
    expectTensorsClose(
      causalBias(2, 4),
      tf.tensor2d([
        [0, 0, 0, M],
        [0, 0, 0, 0],
      ]),
    );
  });

  it("turns a key mask into a broadcastable bias", () => {
    const bias = paddingBias(
      tf.tensor2d([
        [1, 1, 0],
        [1, 0, 0],
      ]),
    );
    expect(bias.shape).toEqual([2, 1, 1, 3]);
    expectTensorsClose(bias, tf.tensor4d([0, 0, M, 0, M, M], [2, 1, 1, 3]));
    expect(() => paddingBias(tf.ones([3]))).toThrow();
  });

  it("derives masks from ids and combines biases", () => {
    expectTensorsClose(
      maskFromIds(
        tf.tensor2d(
          [
            [3, 0],
            [0, 1],
          ],
          [2, 2],
          "int32",
        ),
      ),
      tf.tensor2d([
        [1, 0],
        [0, 1],
      ]),
    );
    expect(combineBiases(undefined, undefined)).toBeUndefined();
    const one = tf.ones([2]);
    expect(combineBiases(undefined, one)).toBe(one);
    expectTensorsClose(combineBiases(one, tf.ones([2, 2]))!, tf.fill([2, 2], 2));
  });
});
