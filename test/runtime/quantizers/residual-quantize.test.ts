import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { beforeAll, describe, expect, it } from "vitest";
import { residualQuantize, residualQuantizeHost } from "../../../src/runtime/quantizers/residual-quantize.js";
import { expectTensorsClose, useCpuBackend } from "../../helpers/tf.js";

beforeAll(useCpuBackend);

// Two latents in 2-D, two levels of two codes (worked by hand):
// level 0, codebook [[1,0],[0,1]]: z1 = (0.9, 0.2) → code 0 (d² 0.05 vs 1.45), r1 = (−0.1, 0.2);
//                                  z2 = (0.1, 1.2) → code 1 (d² 0.05 vs 2.25), r1 = (0.1, 0.2).
// level 1, codebook [[0.1,0.1],[−0.1,0.3]]: (−0.1, 0.2) → code 1 (0.01 vs 0.05), r2 = (0, −0.1);
//                                          (0.1, 0.2) → code 0 (0.01 vs 0.05), r2 = (0, 0.1).
const z = [0.9, 0.2, 0.1, 1.2];
const book0 = [1, 0, 0, 1];
const book1 = [0.1, 0.1, -0.1, 0.3];

describe("residual quantization", () => {
  it("gives the hand-computed codes, residuals and ẑ on the host", () => {
    const q = residualQuantizeHost(Float32Array.from(z), 2, [Float32Array.from(book0), Float32Array.from(book1)], 2);
    expect(Array.from(q.codes)).toEqual([0, 1, 1, 0]);
    expectTensorsClose(q.residuals[1], [-0.1, 0.2, 0.1, 0.2], 1e-6);
    expectTensorsClose(q.residuals[2], [0, -0.1, 0, 0.1], 1e-6);
    expectTensorsClose(q.quantized, [0.9, 0.3, 0.1, 1.1], 1e-6);
  });

  it("gives the same codes as tensors, and the losses by hand", () => {
    const q = residualQuantize(tf.tensor2d(z, [2, 2]), [tf.tensor2d(book0, [2, 2]), tf.tensor2d(book1, [2, 2])]);
    expect(q.codes.map((c) => Array.from(c.dataSync()))).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expectTensorsClose(q.quantized, [0.9, 0.3, 0.1, 1.1], 1e-6);
    // Σ_d mean_b ||r_d − e||²: level 0 (0.05 + 0.05)/2, level 1 (0.01 + 0.01)/2.
    expect(q.codebookLoss.dataSync()[0]).toBeCloseTo(0.06, 6);
    expect(q.commitmentLoss.dataSync()[0]).toBeCloseTo(0.06, 6);
  });

  it("sends codebook gradients only from the codebook term and commitment gradients to z", () => {
    const zt = tf.tensor2d(z, [2, 2]);
    const e0 = tf.tensor2d(book0, [2, 2]);
    const e1 = tf.tensor2d(book1, [2, 2]);
    // The RQ-VAE's quantization loss: codebook term + β · commitment term, β = 0.25.
    const [gz, g0, g1] = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => {
      const q = residualQuantize(a as tf.Tensor2D, [b as tf.Tensor2D, c as tf.Tensor2D]);
      return tf.add(q.codebookLoss, tf.mul(q.commitmentLoss, 0.25));
    })([zt, e0, e1]);
    // dL/de_c = (2/B)·Σ_{b chose c} (e_c − r_d): B = 2.
    expectTensorsClose(g0, [0.1, -0.2, -0.1, -0.2], 1e-6);
    expectTensorsClose(g1, [0, -0.1, 0, 0.1], 1e-6);
    // dL/dz = β(2/B)·Σ_d (r_d − e_{c_d}) (each r_d = z − detached codes): item 1 0.25·(−0.1, 0.1),
    // item 2 0.25·(0.1, 0.3).
    expectTensorsClose(gz, [-0.025, 0.025, 0.025, 0.075], 1e-6);
  });

  it("passes the gradient straight through: dL/dz = dL/dẑ", () => {
    const zt = tf.tensor2d(z, [2, 2]);
    const books = [tf.tensor2d(book0, [2, 2]), tf.tensor2d(book1, [2, 2])];
    // L = Σ ẑ²: dL/dẑ = 2ẑ, which the estimator hands to z unchanged (not 2z).
    const gz = tf.grad((a: tf.Tensor) => tf.sum(tf.square(residualQuantize(a as tf.Tensor2D, books).straightThrough)))(zt);
    expectTensorsClose(gz, [1.8, 0.6, 0.2, 2.2], 1e-6);
    expectTensorsClose(residualQuantize(zt, books).straightThrough, [0.9, 0.3, 0.1, 1.1], 1e-6);
  });
});
