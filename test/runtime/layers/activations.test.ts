import * as tf from "@tensorflow/tfjs-core";
import "./register-gradients.js";
import { beforeAll, describe, expect, it } from "vitest";
import { expectTensorsClose, useCpuBackend } from "../../helpers/tf.js";
import { ACTIVATION_NAMES, activation, elu, gelu, geluTanh, relu, silu } from "../../../src/runtime/layers/activations.js";

beforeAll(useCpuBackend);

const xs = () => tf.tensor1d([-2, -1, 0, 1, 2]);

describe("activations", () => {
  it("computes exact gelu from erf", () => {
    // x·Φ(x): Φ(1) = 0.841345, Φ(−1) = 0.158655, Φ(2) = 0.977250.
    expectTensorsClose(gelu(xs()), [-0.0455003, -0.1586553, 0, 0.8413447, 1.9544997], 1e-5);
  });

  it("computes the tanh approximation of gelu, close to but not equal to the exact form", () => {
    expectTensorsClose(geluTanh(xs()), [-0.0454023, -0.158808, 0, 0.841192, 1.9545977], 1e-5);
    const diff = tf.max(tf.abs(tf.sub(gelu(xs()), geluTanh(xs())))).dataSync()[0];
    expect(diff).toBeGreaterThan(1e-4);
    expect(diff).toBeLessThan(1e-3);
  });

  it("has gelu's derivative 0.5 at zero in both forms", () => {
    expectTensorsClose(tf.grad((x) => gelu(x))(tf.tensor1d([0])), [0.5]);
    expectTensorsClose(tf.grad((x) => geluTanh(x))(tf.tensor1d([0])), [0.5]);
  });

  it("computes elu, silu and relu", () => {
    expectTensorsClose(elu(xs()), [-0.8646647, -0.6321206, 0, 1, 2]);
    expectTensorsClose(silu(xs()), [-0.2384058, -0.2689414, 0, 0.7310586, 1.7615942]);
    expectTensorsClose(relu(xs()), [0, 0, 0, 1, 2]);
  });

  it("looks activations up by name", () => {
    for (const name of ACTIVATION_NAMES) expect(activation(name)(xs()).shape).toEqual([5]);
    expectTensorsClose(activation("gelu")(xs()), gelu(xs()));
    expectTensorsClose(activation("elu")(xs()), elu(xs()));
    expectTensorsClose(activation(null)(xs()), xs());
    const custom = (x: tf.Tensor) => tf.neg(x);
    expect(activation(custom)).toBe(custom);
    expect(() => activation("swoosh" as never)).toThrow(/unknown activation/);
  });
});
