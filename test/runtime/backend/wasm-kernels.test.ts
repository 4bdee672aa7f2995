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
    const a = tf.tensor2d([[1, 2], [3, 4]]);
    const out = tf.matMul(a, a, true, false); // aᵀa = [[10, 14], [14, 20]]
    expect(Array.from(out.dataSync())).toEqual([10, 14, 14, 20]);
    tf.dispose([a, out]);
  });
});
