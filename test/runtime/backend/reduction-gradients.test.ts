// The Sum and Mean gradients that tile dy instead of multiplying by a host-built ones tensor:
// hand-computed values, every axis form, and agreement between the wasm and cpu backends.
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../../src/runtime/backend/select-backend.js";
import { expectSameResults, onBoth, randomHost } from "./compare-backends.js";

beforeAll(async () => {
  await selectBackend("wasm");
});

describe("reduction gradients", () => {
  it("are installed in place of tfjs-core's", () => {
    expect(String(tf.getGradient("Sum")?.gradFunc)).not.toContain("ones");
    expect(String(tf.getGradient("Mean")?.gradFunc)).not.toContain("ones");
  });

  it("give hand-computed values: d/dx Σ_j w_j · Σ_i x[i, j] = w_j, and mean divides by the count", async () => {
    await tf.setBackend("wasm");
    const x = tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const w = tf.tensor1d([10, 20, 30]);
    const dSum = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.sum(v, 0), w)))(x);
    expect(Array.from(dSum.dataSync())).toEqual([10, 20, 30, 10, 20, 30]);
    const dMean = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.mean(v, 1), tf.tensor1d([2, 4]))))(x);
    expect(Array.from(dMean.dataSync())).toEqual([2 / 3, 2 / 3, 2 / 3, 4 / 3, 4 / 3, 4 / 3].map(Math.fround));
    tf.dispose([x, w, dSum, dMean]);
  });

  it("match between wasm and cpu for every axis form, keepDims and a full reduction", async () => {
    const x = randomHost([3, 4, 5], 21);
    for (const [axis, keep] of [
      [0, false],
      [1, true],
      [-1, false],
      [[0, 2], false],
      [[2, 0], true],
      [null, false],
    ] as const) {
      const ax = axis === null ? undefined : (axis as number | number[]);
      const [wasm, cpu] = await onBoth([x], (t) => [
        tf.grad((v: tf.Tensor) => tf.sum(tf.square(tf.sum(v, ax, keep))))(t),
        tf.grad((v: tf.Tensor) => tf.sum(tf.square(tf.mean(v, ax, keep))))(t),
      ]);
      expectSameResults(wasm, cpu, 1e-5);
    }
  });
});
