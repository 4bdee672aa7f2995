import * as tf from "@tensorflow/tfjs-core";
// tfjs-core's Node bundle registers no gradients; vitest can load the ES registration directly.
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { beforeAll, describe, expect, it } from "vitest";
import { gbceBeta, gbceLoss } from "../../../src/runtime/losses/gbce.js";
import { sampledGbceLoss } from "../../../src/runtime/losses/gbce-sampled.js";
import { Rng } from "../../../src/runtime/random.js";
import { expectNoLeakedTensors, useCpuBackend } from "../../helpers/tf.js";

beforeAll(useCpuBackend);

const softplus = (z: number) => Math.log(1 + Math.exp(z));
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe("gbceBeta", () => {
  it("is α(t(1 − 1/α) + 1/α) with α = K / (N − 1)", () => {
    // K = 256 of N = 12,101: α = 256 / 12,100; t = 0.75 gives 1 − 0.75·(1 − α).
    const alpha = 256 / 12100;
    expect(gbceBeta(256, 12101, 0.75)).toBeCloseTo(alpha * (0.75 * (1 - 1 / alpha) + 1 / alpha), 12);
    expect(gbceBeta(256, 12101, 0.75)).toBeCloseTo(0.25 + 0.75 * alpha, 12);
    // t = 0 is plain BCE (β = 1); t = 1 calibrates fully (β = α = 0.4).
    expect(gbceBeta(4, 11, 0)).toBeCloseTo(1, 12);
    expect(gbceBeta(4, 11, 1)).toBeCloseTo(0.4, 12);
  });

  it("rejects t outside [0, 1] and a one-item catalogue", () => {
    expect(() => gbceBeta(4, 11, 1.5)).toThrow(/t must lie in \[0, 1\]/);
    expect(() => gbceBeta(4, 1, 0.5)).toThrow(/at least 2 items/);
  });
});

describe("gbceLoss", () => {
  it("equals −(β log σ(s⁺) + Σ log(1 − σ(s⁻))) / (K + 1), averaged over rows", () => {
    const pos = [1.5, -0.5];
    const neg = [
      [0.2, -1, 3],
      [0, 0.7, -2],
    ];
    const beta = 0.4;
    // Row sums by hand from the definition with σ, not softplus: −β log σ(s) − Σ log(1 − σ(s⁻)).
    const rows = pos.map((s, i) => -beta * Math.log(sigmoid(s)) - neg[i].reduce((acc, z) => acc + Math.log(1 - sigmoid(z)), 0));
    const expected = (rows[0] + rows[1]) / (2 * 4);
    const loss = gbceLoss(tf.tensor1d(pos), tf.tensor2d(neg), beta);
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 5);
    // The same through softplus: log σ(s)^β = −β·softplus(−s).
    expect(expected).toBeCloseTo((beta * (softplus(-1.5) + softplus(0.5)) + [0.2, -1, 3, 0, 0.7, -2].reduce((a, z) => a + softplus(z), 0)) / 8, 10);
  });

  it("leaves masked negatives out of the sum but not out of the denominator", () => {
    const loss = gbceLoss(tf.tensor1d([0]), tf.tensor2d([[1, 2]]), 1, { negativeMask: Float32Array.from([1, 0]) });
    expect(loss.dataSync()[0]).toBeCloseTo((Math.LN2 + softplus(1)) / 3, 6);
  });

  it("has gradient β(σ(s⁺) − 1) and σ(s⁻), each over P·(K + 1)", () => {
    const grads = tf.grads((p: tf.Tensor, n: tf.Tensor) => gbceLoss(p as tf.Tensor1D, n as tf.Tensor2D, 0.25));
    const [gp, gn] = grads([tf.tensor1d([0.5]), tf.tensor2d([[-1, 2]])]);
    expect(gp.dataSync()[0]).toBeCloseTo((0.25 * (sigmoid(0.5) - 1)) / 3, 6);
    expect(Array.from(gn.dataSync())).toEqual([expect.closeTo(sigmoid(-1) / 3, 6), expect.closeTo(sigmoid(2) / 3, 6)]);
  });
});

describe("sampledGbceLoss", () => {
  it("draws K shared uniform negatives, masks accidental hits, and frees its tensors", () => {
    // Scores are the item ids themselves, so the loss can be recomputed from the drawn ids.
    const targets = Int32Array.from([1, 2]);
    const drawn: Int32Array[] = [];
    const scorer = {
      diagonal: (items: Int32Array) => tf.tensor1d(Array.from(items, (i) => i / 10)),
      against: (items: Int32Array) => {
        drawn.push(items);
        return tf.tensor2d(
          Array.from({ length: 2 * items.length }, (_, c) => items[c % items.length] / 10),
          [2, items.length],
        );
      },
    };
    const numItems = 3;
    const t = 0.5;
    expectNoLeakedTensors(() => {
      const loss = sampledGbceLoss({ scorer, targets, negatives: 6, t, numItems, rng: new Rng(7) });
      const beta = gbceBeta(6, numItems, t);
      const items = drawn[0];
      expect(items.length).toBe(6);
      expect(items.every((i) => i >= 1 && i <= numItems)).toBe(true);
      let sum = 0;
      targets.forEach((target) => {
        sum += beta * softplus(-target / 10);
        items.forEach((i) => (sum += i === target ? 0 : softplus(i / 10)));
      });
      expect(loss.dataSync()[0]).toBeCloseTo(sum / (2 * 7), 5);
      loss.dispose();
    });
  });
});
