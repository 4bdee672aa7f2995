import * as tf from "@tensorflow/tfjs-core";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { expectNoLeakedTensors, expectTensorsClose, useCpuBackend } from "../../helpers/tf.js";
import { mlp } from "../../../src/runtime/layers/mlp.js";
import { ParamStore } from "../../../src/runtime/layers/params.js";
import { Rng } from "../../../src/runtime/random.js";

beforeAll(useCpuBackend);
let params: ParamStore;
afterEach(() => params.dispose());

describe("mlp", () => {
  it("stacks dense layers with the given sizes and parameter count", () => {
    params = new ParamStore(0);
    const y = mlp(tf.ones([2, 3, 4]), params, { inDim: 4, sizes: [8, 3] });
    expect(y.shape).toEqual([2, 3, 3]);
    expect(params.count()).toBe(4 * 8 + 8 + 8 * 3 + 3);
    expect([...params.variables().keys()]).toEqual(["layer0/bias", "layer0/kernel", "layer1/bias", "layer1/kernel"]);
  });

  it("keeps the last layer linear unless activateLast", () => {
    params = new ParamStore(1);
    const x = tf.randomNormal([64, 4], 0, 1, "float32", 3);
    const linear = mlp(x, params, { inDim: 4, sizes: [8, 3], activation: "relu" });
    expect(tf.min(linear).dataSync()[0]).toBeLessThan(0);
    const activated = mlp(x, params, {
      inDim: 4,
      sizes: [8, 3],
      activation: "relu",
      activateLast: true,
    });
    expectTensorsClose(activated, tf.relu(linear));
  });

  it("applies dropout only in training, deterministically", () => {
    params = new ParamStore(2);
    const x = tf.ones([4, 4]);
    const options = { inDim: 4, sizes: [16, 2], dropout: 0.5 };
    const a = mlp(x, params, options, { training: true, rng: new Rng(1) });
    const b = mlp(x, params, options, { training: true, rng: new Rng(1) });
    const eval1 = mlp(x, params, options);
    expectTensorsClose(a, b, 0);
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(eval1.dataSync()));
  });

  it("leaks nothing once built", async () => {
    params = new ParamStore(3);
    const x = tf.ones([2, 4]);
    const options = { inDim: 4, sizes: [5, 5, 1], dropout: 0.1 };
    mlp(x, params, options).dispose();
    await expectNoLeakedTensors(() => mlp(x, params, options, { training: true, rng: new Rng(0) }).dispose());
  });
});
