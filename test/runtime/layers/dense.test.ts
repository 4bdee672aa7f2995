import * as tf from "@tensorflow/tfjs-core";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { expectNoLeakedTensors, expectTensorsClose, useCpuBackend } from "../../helpers/tf.js";
import { dense } from "../../../src/runtime/layers/dense.js";
import { ParamStore } from "../../../src/runtime/layers/params.js";

beforeAll(useCpuBackend);
let params: ParamStore;
afterEach(() => params.dispose());

describe("dense", () => {
  it("computes activation(x·W + b) on a 2-D input", () => {
    params = new ParamStore(0);
    dense(tf.zeros([1, 2]), params, 2, 2); // builds the variables
    params
      .get("kernel", [2, 2], () => new Float32Array())
      .assign(
        tf.tensor2d([
          [1, -2],
          [3, 4],
        ]),
      );
    params.get("bias", [2], () => new Float32Array()).assign(tf.tensor1d([0.5, -20]));
    const y = dense(
      tf.tensor2d([
        [1, 1],
        [2, 0],
      ]),
      params,
      2,
      2,
      { activation: "relu" },
    );
    // [1,1]·W = [4, 2] + b = [4.5, −18] → relu; [2,0]·W = [2, −4] + b = [2.5, −24].
    expectTensorsClose(
      y,
      tf.tensor2d([
        [4.5, 0],
        [2.5, 0],
      ]),
    );
  });

  it("maps rank-3 and rank-4 inputs position-wise", () => {
    params = new ParamStore(1);
    const x = tf.randomNormal([2, 3, 5], 0, 1, "float32", 1);
    const y = dense(x, params, 5, 4);
    expect(y.shape).toEqual([2, 3, 4]);
    // Row (1, 2) equals the same row pushed through as a 2-D batch of one.
    const row = tf.reshape(tf.slice(x, [1, 2, 0], [1, 1, 5]), [1, 5]);
    expectTensorsClose(tf.reshape(tf.slice(y, [1, 2, 0], [1, 1, 4]), [1, 4]), dense(row, params, 5, 4));
    expect(dense(tf.ones([2, 2, 2, 5]), params, 5, 4).shape).toEqual([2, 2, 2, 4]);
  });

  it("omits the bias when asked and checks the input width", () => {
    params = new ParamStore(2);
    dense(tf.ones([1, 3]), params, 3, 2, { bias: false });
    expect([...params.variables().keys()]).toEqual(["kernel"]);
    expect(() => dense(tf.ones([1, 4]), params, 3, 2)).toThrow(/inDim/);
    expect(() => dense(tf.ones([3]), params, 3, 2)).toThrow(/rank/);
  });

  it("leaks nothing once built", async () => {
    params = new ParamStore(3);
    const x = tf.ones([2, 3, 4]);
    dense(x, params, 4, 4, { activation: "gelu" }).dispose();
    await expectNoLeakedTensors(() =>
      tf.tidy(() => {
        dense(x, params, 4, 4, { activation: "gelu" });
      }),
    );
  });
});
