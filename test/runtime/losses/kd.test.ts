import * as tf from "@tensorflow/tfjs-core";
// tfjs-core's Node bundle registers no gradients; vitest can load the ES registration directly.
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { beforeAll, describe, expect, it } from "vitest";
import { Rng } from "../../../src/runtime/random.js";
import { binaryCrossEntropy } from "../../../src/runtime/losses/bce.js";
import { binaryDistillationKlPerExample, binaryKdLoss, distillationKlPerExample, kdLoss } from "../../../src/runtime/losses/kd.js";
import { softmaxCrossEntropy } from "../../../src/runtime/losses/softmax-cross-entropy.js";
import { expectNoLeakedTensors, expectTensorsClose, useCpuBackend } from "../../helpers/tf.js";

beforeAll(useCpuBackend);

function randomLogits(n: number, c: number, seed: number): tf.Tensor2D {
  const rng = new Rng(seed);
  return tf.tensor2d(
    Float32Array.from({ length: n * c }, () => 2 * rng.normal()),
    [n, c],
  );
}

// Student z = [0, ln 3] → q = [1/4, 3/4]; teacher p = [1/2, 1/2].
const klHand = 0.5 * Math.log(0.5 / 0.25) + 0.5 * Math.log(0.5 / 0.75);

describe("distillationKlPerExample", () => {
  it("matches a hand-computed KL and is zero when student and teacher agree", () => {
    const z = tf.tensor2d([[0, Math.log(3)]]);
    const p = tf.tensor2d([[0.5, 0.5]]);
    expectTensorsClose(distillationKlPerExample(z, p, 1), [klHand], 1e-6);
    // At τ = 2 the student's logits are halved, so doubling them gives the same KL.
    expectTensorsClose(distillationKlPerExample(tf.mul(z, 2) as tf.Tensor2D, p, 2), [klHand], 1e-6);
    const zs = randomLogits(3, 5, 1);
    expectTensorsClose(distillationKlPerExample(zs, tf.softmax(tf.div(zs, 3)) as tf.Tensor2D, 3), [0, 0, 0], 1e-5);
  });

  it("handles zero teacher probabilities without NaN", () => {
    const z = tf.tensor2d([[0, Math.log(3)]]);
    expectTensorsClose(distillationKlPerExample(z, tf.tensor2d([[1, 0]]), 1), [-Math.log(0.25)], 1e-6);
  });

  it("has gradient (softmax(z/τ) − p)/τ", () => {
    const z = randomLogits(1, 4, 2);
    const p = tf.tensor2d([[0.1, 0.2, 0.3, 0.4]]);
    const g = tf.grad((x: tf.Tensor) => tf.sum(distillationKlPerExample(x as tf.Tensor2D, p, 2)))(z);
    expectTensorsClose(g, tf.div(tf.sub(tf.softmax(tf.div(z, 2)), p), 2), 1e-6);
  });
});

describe("kdLoss", () => {
  const z = randomLogits(4, 6, 3);
  const teacher = tf.softmax(randomLogits(4, 6, 4)) as tf.Tensor2D;
  const targets = tf.tensor1d([1, 5, 0, 2], "int32");

  it("with λ = 0 equals the cross-entropy exactly", () => {
    const kd = kdLoss(z, teacher, targets, { lambda: 0, temperature: 2 }).dataSync()[0];
    expect(kd).toBe(softmaxCrossEntropy(z, targets).dataSync()[0]);
  });

  it("mixes (1−λ)·CE + λ·τ²·KL over the non-padding examples", () => {
    const ce = softmaxCrossEntropy(z, targets).dataSync()[0];
    const kl = distillationKlPerExample(z, teacher, 2).dataSync();
    const klMean = (kl[0] + kl[1] + kl[3]) / 3; // example 2 has the padding target
    const kd = kdLoss(z, teacher, targets, { lambda: 0.25, temperature: 2 }).dataSync()[0];
    expect(kd).toBeCloseTo(0.75 * ce + 0.25 * 4 * klMean, 5);
    const soft = kdLoss(z, teacher, targets, { lambda: 1, temperature: 2 }).dataSync()[0];
    expect(soft).toBeCloseTo(4 * klMean, 5);
  });

  it("applies per-example weights to both terms", () => {
    const w = [1, 2, 0, 3];
    const kl = distillationKlPerExample(z, teacher, 1).dataSync();
    const klMean = (kl[0] * 1 + kl[1] * 2 + kl[3] * 3) / 6;
    const ce = softmaxCrossEntropy(z, targets, { weights: tf.tensor1d(w) }).dataSync()[0];
    const kd = kdLoss(z, teacher, targets, { lambda: 0.5, temperature: 1, weights: tf.tensor1d(w) });
    expect(kd.dataSync()[0]).toBeCloseTo(0.5 * ce + 0.5 * klMean, 5);
  });

  it("is differentiable and leaks nothing", async () => {
    await expectNoLeakedTensors(() => {
      const g = tf.grad((x: tf.Tensor) => kdLoss(x as tf.Tensor2D, teacher, targets, { lambda: 0.5, temperature: 2 }))(z);
      // The padding row contributes nothing.
      expect((g.arraySync() as number[][])[2]).toEqual([0, 0, 0, 0, 0, 0]);
      g.dispose();
    });
  });

  it("rejects λ outside [0, 1] and non-positive τ", () => {
    expect(() => kdLoss(z, teacher, targets, { lambda: 1.5, temperature: 1 })).toThrow(/lambda/);
    expect(() => kdLoss(z, teacher, targets, { lambda: 0.5, temperature: 0 })).toThrow(/temperature/);
  });
});

describe("binary distillation", () => {
  it("KL(Bernoulli(0.9) ‖ Bernoulli(σ(0))) by hand, zero when the teacher agrees", () => {
    const expected = 0.9 * Math.log(0.9 / 0.5) + 0.1 * Math.log(0.1 / 0.5);
    expectTensorsClose(binaryDistillationKlPerExample(tf.tensor1d([0]), tf.tensor1d([0.9]), 1), [expected], 1e-6);
    const zs = tf.tensor1d([-3, 0.5, 4]);
    const p = tf.sigmoid(tf.div(zs, 2));
    expectTensorsClose(binaryDistillationKlPerExample(zs, p, 2), [0, 0, 0], 1e-5);
    // Hard teacher labels (0 and 1) stay finite.
    const hard = binaryDistillationKlPerExample(tf.tensor1d([0, 0]), tf.tensor1d([0, 1]), 1);
    expectTensorsClose(hard, [Math.LN2, Math.LN2], 1e-6);
  });

  it("binaryKdLoss with λ = 0 equals BCE exactly, and mixes otherwise", () => {
    const z = tf.tensor1d([-1, 0.5, 2]);
    const p = tf.tensor1d([0.2, 0.6, 0.9]);
    const y = tf.tensor1d([0, 1, 1]);
    const bce = binaryCrossEntropy(z, y).dataSync()[0];
    expect(binaryKdLoss(z, p, y, { lambda: 0, temperature: 3 }).dataSync()[0]).toBe(bce);
    const kl = binaryDistillationKlPerExample(z, p, 3).dataSync();
    const klMean = (kl[0] + kl[1] + kl[2]) / 3;
    const mixed = binaryKdLoss(z, p, y, { lambda: 0.5, temperature: 3 }).dataSync()[0];
    expect(mixed).toBeCloseTo(0.5 * bce + 0.5 * 9 * klMean, 5);
  });

  it("has gradient λ·τ·(σ(z/τ) − p)/N for the soft term", () => {
    const z = tf.tensor1d([0.3, -1.2]);
    const p = tf.tensor1d([0.7, 0.4]);
    const y = tf.tensor1d([1, 0]);
    const g = tf.grad((x: tf.Tensor) => binaryKdLoss(x, p, y, { lambda: 1, temperature: 2 }))(z);
    // d/dz of τ²·KL(p ‖ σ(z/τ)) = τ²·(σ(z/τ) − p)/τ = τ·(σ(z/τ) − p), averaged over 2.
    expectTensorsClose(g, tf.div(tf.mul(tf.sub(tf.sigmoid(tf.div(z, 2)), p), 2), 2), 1e-6);
  });
});
