import * as tf from "@tensorflow/tfjs-core";
import "./register-gradients.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadNativeBlas } from "../../../src/runtime/backend/native-blas.js";
import { DROPOUT_MASK } from "../../../src/runtime/backend/native-dropout-kernel.js";
import { selectBackend } from "../../../src/runtime/backend/select-backend.js";
import { expectTensorsClose, useCpuBackend } from "../../helpers/tf.js";
import { dropout, dropoutMask, INFERENCE } from "../../../src/runtime/layers/dropout.js";
import { Rng } from "../../../src/runtime/random.js";

beforeAll(useCpuBackend);

describe("dropout", () => {
  it("returns the input object itself at rate 0 or outside training", () => {
    const x = tf.ones([3, 4]);
    expect(dropout(x, 0.5, INFERENCE)).toBe(x);
    expect(dropout(x, 0, { training: true, rng: new Rng(1) })).toBe(x);
    expect(dropout(x, 0.5, { training: false, rng: new Rng(1) })).toBe(x);
  });

  it("zeroes about `rate` of the values and scales the rest by 1/(1 − rate)", () => {
    const x = tf.fill([100, 101], 2);
    const y = Array.from(dropout(x, 0.25, { training: true, rng: new Rng(5) }).dataSync());
    const kept = y.filter((v) => v !== 0);
    expect(kept.filter((v) => Math.abs(v - 2 / 0.75) > 1e-5)).toEqual([]);
    expect(Math.abs(1 - kept.length / y.length - 0.25)).toBeLessThan(0.02);
  });

  it("is deterministic given the Rng state and differs across calls", () => {
    const x = tf.ones([7, 9]); // odd size exercises the last half-word
    const a = dropout(x, 0.5, { training: true, rng: new Rng(9) });
    const b = dropout(x, 0.5, { training: true, rng: new Rng(9) });
    expectTensorsClose(a, b, 0);
    const rng = new Rng(9);
    const first = dropout(x, 0.5, { training: true, rng });
    const second = dropout(x, 0.5, { training: true, rng });
    expectTensorsClose(first, a, 0);
    expect(Array.from(second.dataSync())).not.toEqual(Array.from(first.dataSync()));
  });

  it("passes gradient only through kept elements, scaled", () => {
    const x = tf.ones([64]);
    const mask = dropoutMask(64, 0.5, new Rng(2));
    const g = tf.grad((t) => dropout(t, 0.5, { training: true, rng: new Rng(2) }))(x);
    expectTensorsClose(g, Array.from(mask));
    expect(mask.some((v) => v === 0)).toBe(true);
  });

  it("rejects bad rates and training without an Rng", () => {
    const x = tf.ones([2]);
    expect(() => dropout(x, 1, INFERENCE)).toThrow(/rate/);
    expect(() => dropout(x, 0.5, { training: true })).toThrow(/rng/);
  });
});

describe.skipIf(typeof loadNativeBlas() === "string")("dropout masks drawn by the native addon on wasm", () => {
  afterAll(useCpuBackend);

  it("are bit for bit the JavaScript masks, odd sizes included, and leave the Rng in the same state", async () => {
    for (const [shape, rate] of [
      [[7], 0.5],
      [[3, 5, 33], 0.1],
      [[64, 81], 0.25],
    ] as const) {
      const masks: number[][] = [];
      const next: number[] = [];
      for (const backend of ["cpu", "wasm"] as const) {
        if (backend === "wasm") await selectBackend("wasm", { native: true });
        else await tf.setBackend("cpu");
        const rng = new Rng(3);
        const y = dropout(tf.ones([...shape]), rate, { training: true, rng });
        masks.push(Array.from(y.dataSync()));
        next.push(rng.nextUint32());
        y.dispose();
      }
      expect(masks[1]).toEqual(masks[0]);
      expect(next[1]).toBe(next[0]);
    }
    expect(tf.getBackend()).toBe("wasm");
    const info = await tf.profile(() => dropout(tf.ones([4, 4]), 0.5, { training: true, rng: new Rng(1) }));
    expect(info.kernelNames).toContain(DROPOUT_MASK);
  });
});
