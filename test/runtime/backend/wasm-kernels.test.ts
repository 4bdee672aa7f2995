import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { isWasmBackendPatched, patchWasmBackend, unpatchWasmBackend, wasmMatMulPath } from "../../../src/runtime/backend/wasm-kernels.js";

describe("patchWasmBackend", () => {
  it("swaps kernels idempotently and unpatch restores the stock ones", () => {
    const stock = tf.getKernel("BatchMatMul", "wasm");
    expect(stock).toBeDefined();
    expect(tf.getKernel("UnsortedSegmentSum", "wasm")).toBeUndefined();
    patchWasmBackend();
    const patched = tf.getKernel("BatchMatMul", "wasm");
    expect(patched?.kernelFunc).not.toBe(stock?.kernelFunc);
    expect(patched?.setupFunc).toBe(stock?.setupFunc); // the stock kernel still needs its setup
    patchWasmBackend();
    expect(tf.getKernel("BatchMatMul", "wasm")?.kernelFunc).toBe(patched?.kernelFunc);
    expect(isWasmBackendPatched()).toBe(true);
    unpatchWasmBackend();
    expect(tf.getKernel("BatchMatMul", "wasm")?.kernelFunc).toBe(stock?.kernelFunc);
    expect(tf.getKernel("UnsortedSegmentSum", "wasm")).toBeUndefined();
    expect(isWasmBackendPatched()).toBe(false);
  });

  it("stockMatMul keeps tfjs's matmul but still adds UnsortedSegmentSum, and re-patching switches back", () => {
    const stock = tf.getKernel("BatchMatMul", "wasm");
    patchWasmBackend();
    patchWasmBackend({ stockMatMul: true });
    expect(wasmMatMulPath()).toBe("stock");
    expect(tf.getKernel("BatchMatMul", "wasm")?.kernelFunc).toBe(stock?.kernelFunc);
    expect(tf.getKernel("UnsortedSegmentSum", "wasm")).toBeDefined();
    patchWasmBackend();
    expect(wasmMatMulPath()).toBe("transpose-first");
    unpatchWasmBackend();
    expect(tf.getKernel("UnsortedSegmentSum", "wasm")).toBeUndefined();
  });

  it("works when patched before the backend starts", async () => {
    patchWasmBackend();
    await tf.setBackend("wasm");
    const a = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const out = tf.matMul(a, a, true, false); // aᵀa = [[10, 14], [14, 20]]
    expect(Array.from(out.dataSync())).toEqual([10, 14, 14, 20]);
    tf.dispose([a, out]);
  });

  it("Identity shares the input's buffer when patched (stock copies), and the values outlive the input", async () => {
    await tf.setBackend("wasm");
    const refs = (t: tf.Tensor) => (tf.backend() as unknown as { refCount(id: object): number }).refCount(t.dataId);
    patchWasmBackend();
    const x = tf.tensor1d([1, 2, 3]);
    const shared = tf.clone(x);
    expect(shared.dataId).toBe(x.dataId);
    expect(refs(x)).toBe(2);
    x.dispose();
    expect(Array.from(shared.dataSync())).toEqual([1, 2, 3]);
    expect(refs(shared)).toBe(1);
    shared.dispose();
    unpatchWasmBackend();
    const y = tf.tensor1d([4, 5]);
    const copy = tf.clone(y);
    expect(copy.dataId).not.toBe(y.dataId);
    expect(refs(y)).toBe(1);
    tf.dispose([y, copy]);
  });
});
