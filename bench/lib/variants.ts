// The backend variants benchmarks compare, all in one process: tfjs `cpu`; `wasm` with its stock
// matmul ("wasm-stock", plus the UnsortedSegmentSum kernel that training needs at all); wasm with the
// transpose-first kernel ("wasm-patched"); wasm with matmul on OpenBLAS ("native"). Takes a variant
// name; makes it current and gives a reason string when it cannot run here.
import * as tf from "@tensorflow/tfjs-core";
import { selectBackend } from "../../src/runtime/backend/select-backend.js";
import { patchWasmBackend, wasmMatMulPath } from "../../src/runtime/backend/wasm-kernels.js";

export const VARIANTS = ["cpu", "wasm-stock", "wasm-patched", "native"] as const;
export type Variant = (typeof VARIANTS)[number];

let nativeDescription: string | undefined;

/** Activates `variant`; undefined when it is active, else why it is unavailable. */
export async function useVariant(variant: Variant): Promise<string | undefined> {
  switch (variant) {
    case "cpu":
      await selectBackend("cpu");
      return undefined;
    case "wasm-stock":
      await selectBackend("wasm", { native: false });
      patchWasmBackend({ stockMatMul: true });
      return wasmMatMulPath() === "stock" ? undefined : "could not restore the stock matmul";
    case "wasm-patched":
      await selectBackend("wasm", { native: false });
      return undefined;
    case "native": {
      const r = await selectBackend("wasm", { native: true });
      if (r.nativeUnavailable !== undefined) return r.nativeUnavailable;
      nativeDescription = r.matmul;
      return tf.getBackend() === "wasm" && wasmMatMulPath() === "native" ? undefined : "native kernel not installed";
    }
  }
}

/** "native OpenBLAS (SKYLAKEX, 2 threads)" once the native variant has been activated. */
export function nativeMatmulDescription(): string | undefined {
  return nativeDescription;
}
