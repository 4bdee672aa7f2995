// Makes the tfjs `wasm` backend fit for training. Takes the kernels that @tensorflow/tfjs-backend-wasm
// registers; gives `patchWasmBackend()`, which (idempotently) replaces BatchMatMul and _FusedMatMul
// with transpose-first versions and adds the missing UnsortedSegmentSum, and `unpatchWasmBackend()`,
// which restores the stock kernels (for benchmarks that compare the two).
//
// Why: the stock wasm matmul is fast only for untransposed, unbatched inputs (see
// wasm-matmul-kernel.ts), and every backward pass asks for transposes. UnsortedSegmentSum is the
// gradient of gather, i.e. of every embedding lookup, and wasm has no kernel for it at all.
//
// Checked against the kernels the cpu backend has (tfjs 4.22): wasm also lacks Einsum,
// Conv2DBackpropFilter, DepthwiseConv2dNativeBackprop*, FFT/complex and ragged/string kernels.
// None of them is used by a transformer or embedding model's forward or backward pass (the
// runtime avoids Einsum), so they are left out; test/runtime/backend/wasm-training.test.ts runs
// forward+backward of the ops such models use to keep that claim honest.
import * as tf from "@tensorflow/tfjs-core";
// Importing the package registers the wasm backend and its kernels, which this module wraps.
import "@tensorflow/tfjs-backend-wasm";
import { fastBatchMatMul, transposeFirstFusedMatMul } from "./wasm-matmul-kernel.js";
import { wasmUnsortedSegmentSum } from "./wasm-segment-sum-kernel.js";

const BACKEND = "wasm";

/** Marks kernels installed here, so patching twice (even from two copies of this module) is a no-op. */
const PATCHED = Symbol.for("recspec.wasmKernelPatched");

type PatchedKernelFunc = tf.KernelFunc & { [PATCHED]?: tf.KernelConfig | null };

/** Installs the training kernels on the wasm backend. Safe to call more than once, before or after
 * the backend is initialised. */
export function patchWasmBackend(): void {
  const transpose = requireKernel("Transpose").kernelFunc;
  replaceKernel("BatchMatMul", (original) => fastBatchMatMul(original, transpose));
  replaceKernel("_FusedMatMul", (original) => transposeFirstFusedMatMul(original, transpose));
  if (tf.getKernel("UnsortedSegmentSum", BACKEND) === undefined) {
    const kernelFunc: PatchedKernelFunc = (args) => wasmUnsortedSegmentSum(args);
    kernelFunc[PATCHED] = null; // null: nothing to restore, unpatching just removes it
    tf.registerKernel({ kernelName: "UnsortedSegmentSum", backendName: BACKEND, kernelFunc });
  }
}

/** Restores the stock wasm kernels (removes the ones this module added). */
export function unpatchWasmBackend(): void {
  for (const name of ["BatchMatMul", "_FusedMatMul", "UnsortedSegmentSum"]) {
    const current = tf.getKernel(name, BACKEND);
    const kernelFunc = current?.kernelFunc as PatchedKernelFunc | undefined;
    if (kernelFunc === undefined || !(PATCHED in kernelFunc)) continue;
    tf.unregisterKernel(name, BACKEND);
    const original = kernelFunc[PATCHED];
    if (original) tf.registerKernel(original);
  }
}

/** True when the wasm kernels currently registered are this module's. */
export function isWasmBackendPatched(): boolean {
  const kernelFunc = tf.getKernel("BatchMatMul", BACKEND)?.kernelFunc as PatchedKernelFunc | undefined;
  return kernelFunc !== undefined && PATCHED in kernelFunc;
}

function requireKernel(name: string): tf.KernelConfig {
  const config = tf.getKernel(name, BACKEND);
  if (config === undefined) {
    throw new Error(`wasm backend has no ${name} kernel; is @tensorflow/tfjs-backend-wasm 4.x installed?`);
  }
  return config;
}

/** Swaps a stock kernel for a wrapper, keeping its setup/dispose hooks: the engine calls those on
 * every switch to the backend, and the stock kernelFunc relies on the setup having run. */
function replaceKernel(name: string, wrap: (original: tf.KernelFunc) => tf.KernelFunc): void {
  const original = requireKernel(name);
  if (PATCHED in original.kernelFunc) return;
  const kernelFunc: PatchedKernelFunc = wrap(original.kernelFunc);
  kernelFunc[PATCHED] = original;
  tf.unregisterKernel(name, BACKEND);
  tf.registerKernel({ ...original, kernelFunc });
}
