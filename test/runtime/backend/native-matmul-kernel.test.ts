// Parity of the OpenBLAS-served wasm BatchMatMul/_FusedMatMul with the cpu backend: forward and
// gradients, every transpose combination, batched, broadcast and odd sizes. Runs only when the
// native addon is built (scripts/build-native.mjs); otherwise the suite is skipped and says why.
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { loadNativeBlas } from "../../../src/runtime/backend/native-blas.js";
import { selectBackend } from "../../../src/runtime/backend/select-backend.js";
import { wasmMatMulPath } from "../../../src/runtime/backend/wasm-kernels.js";
import { expectNoLeakedTensors } from "../../helpers/tf.js";
import { expectSameResults, onBoth, randomHost } from "./compare-backends.js";

const blas = loadNativeBlas();
const skipReason = typeof blas === "string" ? blas : undefined;
if (skipReason !== undefined) console.warn(`native-matmul-kernel.test.ts: SKIPPED, ${skipReason}`);

function shapesFor(aBatch: number[], bBatch: number[], m: number, k: number, n: number, ta: boolean, tb: boolean) {
  return [
    [...aBatch, ...(ta ? [k, m] : [m, k])],
    [...bBatch, ...(tb ? [n, k] : [k, n])],
  ];
}

const flags: [boolean, boolean][] = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

// [aBatch, bBatch, m, k, n]: plain odd sizes, a size large enough for OpenBLAS's blocked/threaded
// path, batched, a's batch folded into rows (b unbatched), unbatched a against batched b, batch 1
// broadcast against 3, a degenerate 1×1×1.
const cases: [number[], number[], number, number, number][] = [
  [[], [], 7, 13, 5],
  [[], [], 131, 67, 97],
  [[3], [3], 7, 13, 5],
  [[2, 3], [2, 3], 9, 4, 11],
  [[2, 3], [], 7, 13, 5],
  [[], [3], 25, 22, 21],
  [[3], [1], 7, 13, 5],
  [[1], [4], 6, 5, 3],
  [[], [], 1, 1, 1],
];

describe.skipIf(skipReason !== undefined)(`native OpenBLAS BatchMatMul${skipReason ? ` (SKIPPED: ${skipReason})` : ""}`, () => {
  beforeAll(async () => {
    const r = await selectBackend("wasm", { native: true });
    expect(r.matmul).toMatch(/^native OpenBLAS/);
  });

  it("is installed by selectBackend('wasm') when built", () => {
    expect(wasmMatMulPath()).toBe("native");
  });

  for (const [aBatch, bBatch, m, k, n] of cases) {
    for (const [ta, tb] of flags) {
      const withGrads = aBatch.join() === bBatch.join();
      it(`matches cpu forward${withGrads ? " and gradients" : ""}: a[${aBatch}] b[${bBatch}] ${m}x${k}x${n} tA=${ta} tB=${tb}`, async () => {
        const [aShape, bShape] = shapesFor(aBatch, bBatch, m, k, n, ta, tb);
        const inputs = [randomHost(aShape, 11), randomHost(bShape, 12)];
        const [wasm, cpu] = await onBoth(inputs, (a, b) => {
          const out = tf.matMul(a, b, ta, tb);
          if (!withGrads) return [out];
          // A non-uniform upstream gradient, so a wrong transpose in the backward pass shows.
          const weights = tf.reshape(tf.range(0, out.size, 1, "float32"), out.shape);
          const grads = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, ta, tb), tf.sin(weights))));
          return [out, ...grads([a, b])];
        });
        expectSameResults(wasm, cpu, 1e-4);
      });
    }
  }

  it("broadcasts both sides like an explicitly tiled product", async () => {
    for (const [ta, tb] of flags) {
      const [aShape, bShape] = shapesFor([2, 1], [1, 3], 5, 4, 6, ta, tb);
      const inputs = [randomHost(aShape, 13), randomHost(bShape, 14)];
      const [wasm] = await onBoth(inputs, (a, b) => tf.matMul(a, b, ta, tb));
      const [, tiled] = await onBoth(inputs, (a, b) => tf.matMul(tf.tile(a, [1, 3, 1, 1]), tf.tile(b, [2, 1, 1, 1]), ta, tb));
      expect(wasm[0].shape).toEqual([2, 3, 5, 6]);
      expectSameResults(wasm, tiled, 1e-5);
    }
  });

  it("serves _FusedMatMul with transposes, bias and relu, and falls back for other activations", async () => {
    const inputs = [randomHost([1, 9, 7], 15), randomHost([1, 11, 9], 16), randomHost([11], 17), randomHost([1], 18)];
    const [wasm, cpu] = await onBoth(inputs, (a, b, bias, scalarBias) => [
      tf.fused.matMul({ a, b, transposeA: true, transposeB: true, bias, activation: "relu" }),
      tf.fused.matMul({ a, b, transposeA: true, transposeB: true, bias: scalarBias }),
      tf.fused.matMul({ a, b, transposeA: true, transposeB: true }),
      tf.fused.matMul({ a, b, transposeA: true, transposeB: true, bias, activation: "sigmoid" }),
    ]);
    expect(wasm[0].shape).toEqual([1, 7, 11]);
    expectSameResults(wasm, cpu, 1e-4);
  });

  it("rejects mismatched inner dimensions", async () => {
    await tf.setBackend("wasm");
    const a = tf.ones([3, 4]);
    const b = tf.ones([5, 6]);
    expect(() => tf.matMul(a, b)).toThrow(/inner shapes \(4\) and \(5\)/);
    tf.dispose([a, b]);
  });

  it("gives zeros for an empty inner dimension and an empty result for empty rows", async () => {
    await tf.setBackend("wasm");
    const a = tf.zeros([3, 0]);
    const b = tf.zeros([0, 2]);
    expect(Array.from(tf.matMul(a, b).dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    const empty = tf.matMul(tf.zeros([0, 4]), tf.ones([4, 2]));
    expect(empty.shape).toEqual([0, 2]);
    tf.dispose([a, b, empty]);
  });

  it("serves Exp natively with cpu parity, exact zeros for masked logits, inf and NaN, and its gradient", async () => {
    // Installed by patchWasmBackend (marked with its symbol), not the stock kernel.
    expect(Symbol.for("recspec.wasmKernelPatched") in (tf.getKernel("Exp", "wasm")?.kernelFunc ?? {})).toBe(true);
    const values = [...Array.from({ length: 2001 }, (_, i) => (i - 1000) / 11.3), -1e9, -87.5, -87.2, 88.5, 88.8, 1e9, Number.NaN];
    const inputs = [{ values, shape: [values.length], dtype: "float32" as const }, randomHost([7, 13], 19)];
    const [wasm, cpu] = await onBoth(inputs, (x, y) => [
      tf.exp(x),
      tf.softmax(y),
      tf.logSumExp(y, 1),
      tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.exp(v), tf.sin(v))))(y),
    ]);
    const got = wasm[0].values;
    const want = cpu[0].values;
    for (let i = 0; i < values.length; i++) {
      const x = values[i];
      if (Number.isNaN(x)) expect(got[i]).toBeNaN();
      else if (x < -87.3) expect(got[i]).toBe(0);
      else if (x > 88.72) expect(got[i]).toBe(Infinity);
      else if (Number.isFinite(want[i])) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(2e-7 * want[i] + 1e-38);
    }
    expectSameResults(wasm.slice(1), cpu.slice(1), 1e-5);
  });

  it("leaks no tensors or wasm memory", async () => {
    await tf.setBackend("wasm");
    const a = tf.randomNormal([3, 24, 21]);
    const b = tf.randomNormal([3, 23, 21]);
    const before = tf.memory().numBytes;
    await expectNoLeakedTensors(() => {
      tf.matMul(a, b, false, true).dispose();
      tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.matMul(x, y, false, true)))([a, b]).forEach((g) => g.dispose());
    });
    expect(tf.memory().numBytes).toBe(before);
    tf.dispose([a, b]);
  });
});
