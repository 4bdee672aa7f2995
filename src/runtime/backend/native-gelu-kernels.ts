// Exact GELU, x·Φ(x), on the native addon (native/src/gelu.c), as two wasm kernels tied together by
// a custom gradient: forward x → y, backward dy → dy·(Φ(x) + x·φ(x)).
//
// Why: the op-by-op form (layers/activations.ts) is four kernels forward and about ten backward,
// each writing a fresh array, and the wasm Erf is scalar: together about a tenth of a SASRec recipe
// step's kernel time. Agrees with the op-by-op form to about 1e-7 (erf by the same Abramowitz &
// Stegun formula tfjs's cpu backend uses), not bit for bit.
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { backendHasKernel, heapFloats, useAddonKernel } from "./addon-kernels.js";
import type { NativeBlas } from "./native-blas.js";

export const GELU = "RecspecGelu";
export const GELU_GRAD = "RecspecGeluGrad";

function geluKernel(blas: NativeBlas): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const x = args.inputs.x as tf.TensorInfo;
    const out = backend.makeOutput(x.shape, "float32");
    if (tf.util.sizeFromShape(x.shape) > 0) blas.gelu(heapFloats(backend, x), heapFloats(backend, out));
    return out;
  };
}

function geluGradKernel(blas: NativeBlas): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { x, dy } = args.inputs as Record<"x" | "dy", tf.TensorInfo>;
    const out = backend.makeOutput(x.shape, "float32");
    if (tf.util.sizeFromShape(x.shape) > 0) blas.geluGrad(heapFloats(backend, x), heapFloats(backend, dy), heapFloats(backend, out));
    return out;
  };
}

/** Registers both kernels on the wasm backend when the addon is given, else removes them. */
export function useNativeGeluKernels(blas: NativeBlas | undefined): void {
  useAddonKernel(GELU, blas, geluKernel);
  useAddonKernel(GELU_GRAD, blas, geluGradKernel);
}

/** x·Φ(x) with its one-pass gradient, or undefined when the current backend has no such kernels. */
export function nativeGelu(x: tf.Tensor): tf.Tensor | undefined {
  if (x.dtype !== "float32" || !backendHasKernel(GELU)) return undefined;
  const gelu = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const xs = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    save([xs]);
    return {
      value: tf.engine().runKernel(GELU, { x: xs }) as tf.Tensor,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.engine().runKernel(GELU_GRAD, { x: saved[0], dy: tf.cast(dy, "float32") }) as tf.Tensor,
    };
  });
  return gelu(x);
}
