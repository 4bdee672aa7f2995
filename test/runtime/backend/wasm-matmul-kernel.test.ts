import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../../src/runtime/backend/select-backend.js";
import { isWasmBackendPatched } from "../../../src/runtime/backend/wasm-kernels.js";
import { expectNoLeakedTensors } from "../../helpers/tf.js";
import { expectSameResults, onBoth, randomHost } from "./compare-backends.js";

beforeAll(async () => {
  // The transpose-first kernel specifically: native-matmul-kernel.test.ts covers the OpenBLAS one.
  await selectBackend("wasm", { native: false }); // initialises wasm, patches it, registers gradients
});

/** Shapes of a and b before any transpose flag is applied, so the product is defined. */
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

// [aBatch, bBatch, m, k, n]: plain, batched (stock-loop size and per-entry size), batch folded into
// rows (b unbatched), a unbatched against batched b. Two-sided broadcasting ([2,1] with [1,3]) is
// checked against tiling instead: tfjs's cpu kernel gets it wrong (it returns 3 products, not 6).
const cases: [number[], number[], number, number, number][] = [
  [[], [], 7, 13, 5],
  [[3], [3], 7, 13, 5],
  [[4], [4], 24, 21, 23],
  [[2, 3], [], 7, 13, 5],
  [[], [3], 25, 22, 21],
  [[3], [1], 7, 13, 5],
];

describe("patched wasm BatchMatMul", () => {
  it("is installed by selectBackend('wasm')", () => {
    expect(isWasmBackendPatched()).toBe(true);
  });

  for (const [aBatch, bBatch, m, k, n] of cases) {
    for (const [ta, tb] of flags) {
      // tfjs's BatchMatMul gradient does not sum over broadcast batch dims (on any backend; see the
      // last test), so gradients are compared only where the batch shapes are equal.
      const withGrads = aBatch.join() === bBatch.join();
      it(`matches cpu forward${withGrads ? " and gradients" : ""}: a[${aBatch}] b[${bBatch}] ${m}x${k}x${n} tA=${ta} tB=${tb}`, async () => {
        const [aShape, bShape] = shapesFor(aBatch, bBatch, m, k, n, ta, tb);
        const inputs = [randomHost(aShape, 1), randomHost(bShape, 2)];
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

  it("agrees with an explicitly tiled product when both sides broadcast", async () => {
    const inputs = [randomHost([2, 1, 5, 4], 3), randomHost([1, 3, 4, 6], 4)];
    const [wasm] = await onBoth(inputs, (a, b) => tf.matMul(a, b));
    const [, tiled] = await onBoth(inputs, (a, b) => tf.matMul(tf.tile(a, [1, 3, 1, 1]), tf.tile(b, [2, 1, 1, 1])));
    expect(wasm[0].shape).toEqual([2, 3, 5, 6]);
    expectSameResults(wasm, tiled, 1e-5);
  });

  it("handles _FusedMatMul with transposes, bias and relu", async () => {
    const inputs = [randomHost([1, 9, 7], 5), randomHost([1, 11, 9], 6), randomHost([11], 7)];
    const [wasm, cpu] = await onBoth(inputs, (a, b, bias) => tf.fused.matMul({ a, b, transposeA: true, transposeB: true, bias, activation: "relu" }));
    expect(wasm[0].shape).toEqual([1, 7, 11]);
    expectSameResults(wasm, cpu, 1e-4);
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
    // The backend's own table of live buffers must not grow either (views and copies released).
    const dataIds = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
    tf.matMul(b, a, false, true).dispose();
    expect((tf.backend() as unknown as { numDataIds(): number }).numDataIds()).toBe(dataIds);
    tf.dispose([a, b]);
  });

  it("documents tfjs's limit: no gradient through broadcast batch dims, even on cpu", async () => {
    await tf.setBackend("cpu");
    const x = tf.ones([2, 3, 4]);
    const w = tf.ones([4, 5]);
    expect(() => tf.grad((v: tf.Tensor) => tf.sum(tf.matMul(x, v)))(w)).toThrow(/does not match the shape/);
    tf.dispose([x, w]);
  });
});
