import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { clipByGlobalNorm, globalNorm, nonFiniteGradients } from "../../../src/runtime/train/clip.js";
import { expectNoLeakedTensors, expectTensorsClose, useCpuBackend } from "../../helpers/tf.js";

beforeAll(useCpuBackend);

describe("global-norm clipping", () => {
  it("computes the norm over all gradients and scales them to maxNorm", async () => {
    // ||[3, 0]||² + ||[[4]]||² = 25 → norm 5.
    const grads = new Map<string, tf.Tensor>([
      ["a", tf.tensor1d([3, 0])],
      ["b", tf.tensor2d([[4]])],
    ]);
    expect(await globalNorm(grads)).toBeCloseTo(5, 6);
    await expectNoLeakedTensors(async () => {
      const r = await clipByGlobalNorm(grads, 1);
      expect(r.norm).toBeCloseTo(5, 6);
      expect(r.clipped).toBe(true);
      expectTensorsClose(Array.from(r.grads.get("a")!.dataSync()), [0.6, 0], 1e-6);
      expectTensorsClose(Array.from(r.grads.get("b")!.dataSync()), [0.8], 1e-6);
      expect(r.grads.get("b")!.shape).toEqual([1, 1]);
      expect(await globalNorm(r.grads)).toBeCloseTo(1, 6);
      tf.dispose([...r.grads.values()]);
    });
    tf.dispose([...grads.values()]);
  });

  it("leaves gradients within the bound unchanged (as copies)", async () => {
    const grads = new Map<string, tf.Tensor>([["a", tf.tensor1d([0.3, 0.4])]]);
    const r = await clipByGlobalNorm(grads, 1);
    expect(r.clipped).toBe(false);
    expect(r.norm).toBeCloseTo(0.5, 6);
    expect(Array.from(r.grads.get("a")!.dataSync())).toEqual(Array.from(grads.get("a")!.dataSync()));
    grads.get("a")!.dispose();
    // The copy outlives the input.
    expect(r.grads.get("a")!.isDisposed).toBe(false);
    r.grads.get("a")!.dispose();
  });

  it("is 0 for no gradients", async () => {
    expect(await globalNorm(new Map())).toBe(0);
  });
});

describe("non-finite detection", () => {
  it("names the gradients holding NaN or Inf and reports a non-finite norm", async () => {
    const grads = new Map<string, tf.Tensor>([
      ["ok", tf.tensor1d([1, 2])],
      ["nan", tf.tensor1d([1, NaN])],
      ["inf", tf.tensor2d([[-Infinity]])],
      ["scalar", tf.scalar(0)],
    ]);
    expect(await nonFiniteGradients(grads)).toEqual(["nan", "inf"]);
    expect(Number.isFinite(await globalNorm(grads))).toBe(false);
    const r = await clipByGlobalNorm(grads, 1);
    expect(r.clipped).toBe(false);
    expect(Number.isNaN(r.norm)).toBe(true);
    tf.dispose([...grads.values(), ...r.grads.values()]);
  });
});
