import * as tf from "@tensorflow/tfjs-core";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { expectNoLeakedTensors, expectTensorsClose, useCpuBackend } from "../../helpers/tf.js";
import { layerNorm } from "../../../src/runtime/layers/layer-norm.js";
import { ParamStore } from "../../../src/runtime/layers/params.js";

beforeAll(useCpuBackend);
let params: ParamStore;
afterEach(() => params.dispose());

describe("layerNorm", () => {
  it("normalises a 1×3 example by hand", () => {
    params = new ParamStore(0);
    // mean 2, population variance 2/3: (x − 2)/sqrt(2/3 + 1e-6).
    const y = layerNorm(tf.tensor2d([[1, 2, 3]]), params, 3);
    expectTensorsClose(y, tf.tensor2d([[-1.2247439, 0, 1.2247439]]), 1e-5);
  });

  it("applies gamma and beta", () => {
    params = new ParamStore(0);
    params.get("gamma", [3], () => new Float32Array([1, 2, 3]));
    params.get("beta", [3], () => new Float32Array([0, 1, -1]));
    const y = layerNorm(tf.tensor2d([[1, 2, 3]]), params, 3);
    expectTensorsClose(y, tf.tensor2d([[-1.2247439, 1, 2.6742318]]), 1e-5);
  });

  it("gives mean 0 and variance 1 per position of a rank-3 input", () => {
    params = new ParamStore(1);
    const x = tf.add(tf.mul(tf.randomNormal([2, 5, 16], 0, 1, "float32", 1), 7), 3);
    const y = layerNorm(x, params, 16);
    expect(y.shape).toEqual([2, 5, 16]);
    const { mean, variance } = tf.moments(y, 2);
    expectTensorsClose(mean, tf.zeros([2, 5]), 1e-5);
    expectTensorsClose(variance, tf.ones([2, 5]), 1e-4);
  });

  it("uses a configurable epsilon", () => {
    params = new ParamStore(2);
    // Variance 1/4 with eps 0.75 → divide by 1.
    const y = layerNorm(tf.tensor2d([[0, 1]]), params, 2, { eps: 0.75 });
    expectTensorsClose(y, tf.tensor2d([[-0.5, 0.5]]));
  });

  it("leaks nothing", async () => {
    params = new ParamStore(3);
    const x = tf.ones([2, 4]);
    layerNorm(x, params, 4).dispose();
    await expectNoLeakedTensors(() => layerNorm(x, params, 4).dispose());
  });
});
