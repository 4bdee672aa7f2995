// Dropout masks made on the wasm heap by the native addon (native/src/dropout.c): a kernel with no
// inputs and attrs shape, state, threshold and scale, giving the float32 mask tensor. The mask is
// bit for bit the one src/runtime/layers/dropout.ts draws in JavaScript from an Rng at `state`.
//
// Why: a paper-size TIGER step draws tens of millions of mask elements; in JavaScript that took
// about 300 ms of a 1.5 s step (node --cpu-prof), plus copying every mask onto the heap.
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { backendHasKernel, heapFloats, useAddonKernel } from "./addon-kernels.js";
import type { NativeBlas } from "./native-blas.js";
import type { Rng } from "../random.js";

export const DROPOUT_MASK = "RecspecDropoutMask";

interface MaskAttrs {
  shape: number[];
  state: number;
  threshold: number;
  scale: number;
}

function dropoutMaskKernel(blas: NativeBlas): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { shape, state, threshold, scale } = args.attrs as unknown as MaskAttrs;
    const out = backend.makeOutput(shape, "float32");
    if (tf.util.sizeFromShape(shape) > 0) blas.dropoutMask(heapFloats(backend, out), state, threshold, scale);
    return out;
  };
}

/** Registers the kernel on the wasm backend when the addon is given, else removes it. */
export function useNativeDropoutKernel(blas: NativeBlas | undefined): void {
  useAddonKernel(DROPOUT_MASK, blas, dropoutMaskKernel);
}

/** The mask tensor for `shape` drawn natively from rng (advancing it exactly as the JavaScript
 * mask does), or undefined when the current backend has no such kernel. */
export function nativeDropoutMask(shape: number[], threshold: number, scale: number, rng: Rng): tf.Tensor | undefined {
  if (!backendHasKernel(DROPOUT_MASK)) return undefined;
  const size = tf.util.sizeFromShape(shape);
  const state = rng.skip(Math.ceil(size / 2));
  const attrs: MaskAttrs = { shape, state, threshold, scale };
  return tf.engine().runKernel(DROPOUT_MASK, {}, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}
