// Makes the tfjs `wasm` backend fit for training. Takes the kernels that @tensorflow/tfjs-backend-wasm
// registers; gives `patchWasmBackend()`, which (idempotently) replaces
//   BatchMatMul, _FusedMatMul  transpose-first versions, or with the native OpenBLAS addon cblas_sgemm
//                              (plus a vectorised Exp: softmax over a large catalogue is mostly exp);
//   Identity                   shares its input's buffer instead of copying it (so do a Transpose
//                              that moves only size-1 axes and a Cast to the same dtype);
//   Transpose                  keeping the last axis: whole rows gathered on the addon;
//   GatherV2                   row copies instead of per-element index arithmetic;
//   Slice, SplitV, Tile,       contiguous runs copied between heap views (the stock Slice copies
//   Concat                     its whole input out of the heap first; the stock Concat makes a
//                              view per row);
//   Sum                        one pass over rows when the reduced axes lead (on the addon if loaded);
// adds the missing UnsortedSegmentSum, the max-over-heads kernels of multi-interest models and,
// with the addon, a one-pass Adam update, dropout masks drawn on the heap, one-pass softmax
// cross-entropy over large catalogues and over sampled candidates, gBCE's softplus rows, GELU and
// layer normalisation (native-*-kernel(s).ts), and
// `unpatchWasmBackend()`, which restores the stock kernels (for benchmarks that compare variants).
//
// Why: the stock wasm matmul is fast only for untransposed, unbatched inputs (see
// wasm-matmul-kernel.ts), and every backward pass asks for transposes. UnsortedSegmentSum is the
// gradient of gather, i.e. of every embedding lookup, and wasm has no kernel for it at all.
// Identity is how autodiff keeps every tensor a backward pass needs (engine.clone); tensors are
// immutable and no kernel writes into its inputs, so sharing the buffer (reference-counted, as the
// cpu backend and wasm's own Reshape do) gives the same values without a copy. Gather and Sum: see
// their files for the measured costs of the stock kernels.
//
// Checked against the kernels the cpu backend has (tfjs 4.22): wasm also lacks Einsum,
// Conv2DBackpropFilter, DepthwiseConv2dNativeBackprop*, FFT/complex and ragged/string kernels.
// None of them is used by a transformer or embedding model's forward or backward pass (the
// runtime avoids Einsum), so they are left out; test/runtime/backend/wasm-training.test.ts runs
// forward+backward of the ops such models use to keep that claim honest.
import * as tf from "@tensorflow/tfjs-core";
// Importing the package registers the wasm backend and its kernels, which this module wraps.
import "@tensorflow/tfjs-backend-wasm";
import type { NativeBlas } from "./native-blas.js";
import { nativeExp } from "./native-exp-kernel.js";
import { nativeBatchMatMul, nativeFusedMatMul } from "./native-matmul-kernel.js";
import { fastBatchMatMul, transposeFirstFusedMatMul } from "./wasm-matmul-kernel.js";
import { registerMaxOverHeadsKernels } from "./max-over-heads-kernel.js";
import { useFusedAdamKernel } from "./native-adam-kernel.js";
import { useNativeDropoutKernel } from "./native-dropout-kernel.js";
import { useNativeLayerNormKernels } from "./native-layer-norm-kernels.js";
import { useNativeSoftmaxXentKernels } from "./native-softmax-xent-kernels.js";
import { useNativeCandidateXentKernels } from "./native-candidate-xent-kernels.js";
import { useNativeSoftplusRowsKernels } from "./native-softplus-rows-kernels.js";
import { useNativeGeluKernels } from "./native-gelu-kernels.js";
import { useNativeGatherSegmentSumKernel } from "./native-gather-segment-sum-kernel.js";
import { useNativeMeanPoolKernels } from "./native-mean-pool-kernels.js";
import { useNativeReluGradKernel } from "./native-relu-grad-kernel.js";
import { useNativeSegmentSumPartsKernel } from "./native-segment-sum-parts-kernel.js";
import { useNativePairFeaturesKernels } from "./native-pair-features-kernels.js";
import { rowGather } from "./wasm-gather-kernel.js";
import { sharedCast, sharedIdentity, sharedTranspose } from "./wasm-shared-buffer-kernels.js";
import { rowTranspose, runConcat, runSlice, runSplitV, runTile } from "./wasm-slice-kernels.js";
import { leadingAxesSum } from "./wasm-sum-kernel.js";
import { wasmUnsortedSegmentSum } from "./wasm-segment-sum-kernel.js";

const BACKEND = "wasm";

/** Kernels replaced by row- or run-copying versions (the "rows" variants). */
const ROW_KERNELS = ["GatherV2", "Sum", "Slice", "SplitV", "Tile", "Concat"];

/** Marks kernels installed here, so patching twice (even from two copies of this module) is a no-op. */
const PATCHED = Symbol.for("recspec.wasmKernelPatched");
/** Which matmul variant a patched kernel is, so switching variants re-wraps the stock kernel. */
const VARIANT = Symbol.for("recspec.wasmKernelVariant");

/** How the wasm backend's matmul kernels run: tfjs's own, transpose-first, or OpenBLAS. */
export type WasmMatMulPath = "stock" | "transpose-first" | "native";

/** A replaced kernel's variant: a matmul path, "shared" (copy-free Identity, Cast, Transpose),
 * "shared-native" (that Transpose, moving rows on the addon otherwise), "rows" (the row- and
 * run-copying kernels, leading-axes Sum, segment sums) or "rows-native" (those on the addon). */
type KernelVariant = WasmMatMulPath | "shared" | "shared-native" | "rows" | "rows-native";

type PatchedKernelFunc = tf.KernelFunc & { [PATCHED]?: tf.KernelConfig | null; [VARIANT]?: KernelVariant };

export interface PatchOptions {
  /** Serve BatchMatMul/_FusedMatMul from this OpenBLAS addon instead of the transpose-first kernel. */
  native?: NativeBlas;
  /** Keep tfjs's own matmul and Identity kernels and install only the missing ones
   * (UnsortedSegmentSum): the "wasm stock" baseline that benchmarks compare against. */
  stockMatMul?: boolean;
}

/** Installs the training kernels on the wasm backend. Safe to call more than once, before or after
 * the backend is initialised; a call with a different matmul variant replaces the previous one. */
export function patchWasmBackend(options: PatchOptions = {}): void {
  // The stock Transpose, even when a previous call replaced it (the matmul wrappers keep it).
  const current = requireKernel("Transpose").kernelFunc as PatchedKernelFunc;
  const transpose = current[PATCHED]?.kernelFunc ?? current;
  const native = options.native;
  if (native === undefined) restoreKernel("Exp");
  if (options.stockMatMul === true) {
    restoreKernel("BatchMatMul");
    restoreKernel("_FusedMatMul");
    for (const name of ["Identity", "Transpose", "Cast", ...ROW_KERNELS]) restoreKernel(name);
  } else if (native === undefined) {
    replaceKernel("BatchMatMul", "transpose-first", (original) => fastBatchMatMul(original, transpose));
    replaceKernel("_FusedMatMul", "transpose-first", (original) => transposeFirstFusedMatMul(original, transpose));
  } else {
    replaceKernel("BatchMatMul", "native", (original) => nativeBatchMatMul(native, original));
    replaceKernel("_FusedMatMul", "native", (original) => nativeFusedMatMul(native, transposeFirstFusedMatMul(original, transpose)));
    replaceKernel("Exp", "native", (original) => nativeExp(native, original));
  }
  if (options.stockMatMul !== true) {
    replaceKernel("Identity", "shared", () => sharedIdentity);
    replaceKernel("Transpose", native === undefined ? "shared" : "shared-native", (original) =>
      sharedTranspose(native === undefined ? original : rowTranspose(original, native)),
    );
    replaceKernel("Cast", "shared", sharedCast);
    replaceKernel("GatherV2", native === undefined ? "rows" : "rows-native", (original) => rowGather(original, native));
    replaceKernel("Slice", "rows", runSlice);
    replaceKernel("SplitV", "rows", runSplitV);
    replaceKernel("Concat", "rows", runConcat);
    replaceKernel("Tile", native === undefined ? "rows" : "rows-native", (original) => runTile(original, native));
    replaceKernel("Sum", native === undefined ? "rows" : "rows-native", (original) => leadingAxesSum(original, native));
  }
  // The addon, outside the stock baseline (which keeps every kernel tfjs has as it ships).
  const addon = options.stockMatMul === true ? undefined : native;
  registerMaxOverHeadsKernels(addon);
  useAddonOnlyKernels(addon);
  // Training needs it even in the stock baseline; the addon serves it outside that baseline.
  const segmentSumVariant: KernelVariant = addon === undefined ? "rows" : "rows-native";
  const segmentSum = tf.getKernel("UnsortedSegmentSum", BACKEND)?.kernelFunc as PatchedKernelFunc | undefined;
  if (segmentSum?.[VARIANT] !== segmentSumVariant) {
    if (segmentSum !== undefined) tf.unregisterKernel("UnsortedSegmentSum", BACKEND);
    const kernelFunc: PatchedKernelFunc = (args) => wasmUnsortedSegmentSum(args, addon);
    kernelFunc[PATCHED] = null; // null: nothing to restore, unpatching just removes it
    kernelFunc[VARIANT] = segmentSumVariant;
    tf.registerKernel({ kernelName: "UnsortedSegmentSum", backendName: BACKEND, kernelFunc });
  }
}

/** Restores the stock wasm kernels (removes the ones this module added). */
export function unpatchWasmBackend(): void {
  useAddonOnlyKernels(undefined);
  for (const name of ["BatchMatMul", "_FusedMatMul", "Exp", "Identity", "Transpose", "Cast", ...ROW_KERNELS, "UnsortedSegmentSum"]) restoreKernel(name);
}

/** The kernels that exist only with the addon (fused Adam, dropout masks, softmax cross-entropy,
 * layer norm, sampled softmax over candidates, gBCE's softplus rows, GELU, gathered segment sums,
 * also in parts, history mean pooling, ReLU gradients, ranking pair features): registered for `addon`, or removed when it is undefined. */
function useAddonOnlyKernels(addon: NativeBlas | undefined): void {
  useFusedAdamKernel(addon);
  useNativeDropoutKernel(addon);
  useNativeSoftmaxXentKernels(addon);
  useNativeLayerNormKernels(addon);
  useNativeCandidateXentKernels(addon);
  useNativeSoftplusRowsKernels(addon);
  useNativeGeluKernels(addon);
  useNativeGatherSegmentSumKernel(addon);
  useNativeMeanPoolKernels(addon);
  useNativeReluGradKernel(addon);
  useNativeSegmentSumPartsKernel(addon);
  useNativePairFeaturesKernels(addon);
}

/** Puts back the kernel this module replaced under `name` (removes it if this module added it). */
function restoreKernel(name: string): void {
  const kernelFunc = tf.getKernel(name, BACKEND)?.kernelFunc as PatchedKernelFunc | undefined;
  if (kernelFunc === undefined || !(PATCHED in kernelFunc)) return;
  tf.unregisterKernel(name, BACKEND);
  const original = kernelFunc[PATCHED];
  if (original) tf.registerKernel(original);
}

/** True when the wasm kernels currently registered are this module's. */
export function isWasmBackendPatched(): boolean {
  return wasmMatMulPath() !== "stock";
}

/** Which BatchMatMul the wasm backend runs now. */
export function wasmMatMulPath(): WasmMatMulPath {
  const kernelFunc = tf.getKernel("BatchMatMul", BACKEND)?.kernelFunc as PatchedKernelFunc | undefined;
  return kernelFunc === undefined || !(PATCHED in kernelFunc) ? "stock" : ((kernelFunc[VARIANT] as WasmMatMulPath | undefined) ?? "transpose-first");
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
function replaceKernel(name: string, variant: KernelVariant, wrap: (original: tf.KernelFunc) => tf.KernelFunc): void {
  const current = requireKernel(name);
  const currentFunc = current.kernelFunc as PatchedKernelFunc;
  if (PATCHED in currentFunc && currentFunc[VARIANT] === variant) return;
  // Wrap the stock kernel, never a previous variant's wrapper.
  const original = PATCHED in currentFunc && currentFunc[PATCHED] ? currentFunc[PATCHED] : current;
  const kernelFunc: PatchedKernelFunc = wrap(original.kernelFunc);
  kernelFunc[PATCHED] = original;
  kernelFunc[VARIANT] = variant;
  tf.unregisterKernel(name, BACKEND);
  tf.registerKernel({ ...original, kernelFunc });
}
