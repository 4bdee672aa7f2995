import * as tf from "@tensorflow/tfjs-core";
import "./register-gradients.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadNativeBlas } from "../../../src/runtime/backend/native-blas.js";
import { LAYER_NORM, LAYER_NORM_GRAD } from "../../../src/runtime/backend/native-layer-norm-kernels.js";
import { selectBackend } from "../../../src/runtime/backend/select-backend.js";
import { Rng } from "../../../src/runtime/random.js";
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

describe.skipIf(typeof loadNativeBlas() === "string")("layerNorm on wasm with the native addon", () => {
  afterAll(useCpuBackend);

  it("runs one kernel each way and matches the cpu ops: values and the gradients of x, gamma and beta", async () => {
    const rng = new Rng(4);
    const shape = [3, 5, 16];
    const x = Float32Array.from({ length: 240 }, () => 2 + 3 * rng.normal());
    const dy = Float32Array.from({ length: 240 }, () => rng.normal());
    const gamma = Float32Array.from({ length: 16 }, () => 1 + 0.3 * rng.normal());
    const beta = Float32Array.from({ length: 16 }, () => 0.3 * rng.normal());
    const run = () => {
      params = new ParamStore(0);
      const p = params.scope("ln");
      tf.dispose(layerNorm(tf.zeros([1, 16]), p, 16)); // creates gamma and beta
      const vars = params.variables();
      for (const [name, v] of vars) v.assign(tf.tensor1d(name.endsWith("gamma") ? gamma : beta));
      const xt = tf.tensor(x, shape);
      const f = (v: tf.Tensor) => tf.sum(tf.mul(layerNorm(v, p, 16, { eps: 1e-5 }), tf.tensor(dy, shape)));
      const { value, grads } = tf.variableGrads(() => f(xt) as tf.Scalar, [...vars.values()]);
      const dx = tf.grad(f)(xt);
      const out = [
        Array.from(layerNorm(xt, p, 16, { eps: 1e-5 }).dataSync()),
        Array.from(dx.dataSync()),
        ...Object.values(grads).map((g) => Array.from(g.dataSync())),
        [value.dataSync()[0]],
      ];
      tf.dispose([xt, dx, value, ...Object.values(grads)]);
      params.dispose();
      return out;
    };
    await tf.setBackend("cpu");
    const cpu = run();
    await selectBackend("wasm", { native: true });
    const wasm = run();
    cpu.forEach((values, i) => expectTensorsClose(wasm[i], values, 2e-5));
    params = new ParamStore(0);
    const info = await tf.profile(() => tf.grad((v: tf.Tensor) => tf.sum(layerNorm(v, params, 4)))(tf.ones([2, 4])));
    expect(info.kernelNames).toEqual(expect.arrayContaining([LAYER_NORM, LAYER_NORM_GRAD]));
  });
});
