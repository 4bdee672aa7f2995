// Exp for the tfjs `wasm` backend, computed by the native addon's vectorised exp. Takes the addon and
// the stock kernel; gives a kernel function. Why: wasm's Exp is scalar libm at about 7 ns per value,
// and a full softmax over a 12k-item catalogue at every position (SASRec) spent half its training
// step there (bench/profile.ts); the addon's loop is about 15x faster. Non-float32 inputs go to the
// stock kernel.
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import type { NativeBlas } from "./native-blas.js";

export function nativeExp(blas: NativeBlas, original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype !== "float32") return original(args);
    const backend = args.backend as BackendWasm;
    const out = backend.makeOutput(x.shape, "float32");
    if (tf.util.sizeFromShape(x.shape) === 0) return out;
    // Views after makeOutput: allocation may grow the heap and detach older views.
    blas.exp(backend.typedArrayFromHeap(x) as Float32Array, backend.typedArrayFromHeap(out) as Float32Array);
    return out;
  };
}
