// Exact GELU, x·Φ(x), on the native addon (native/src/gelu.c), as two wasm kernels tied together by
// a custom gradient: forward x → y, backward dy → dy·(Φ(x) + x·φ(x)).
//
// Why: the op-by-op form (layers/activations.ts) is four kernels forward and about ten backward,
// each writing a fresh array, and the wasm Erf is scalar: together about a tenth of a SASRec recipe
// step's kernel time. Agrees with the op-by-op form to about 1e-7 (erf by the same Abramowitz &
// Stegun formula tfjs's cpu backend uses), not bit for bit.
import * as tf from "@tensorflow/tfjs-core";
import { backendHasKernel, elementwiseKernel, useAddonKernel } from "./addon-kernels.js";
import type { NativeBlas } from "./native-blas.js";

export const GELU = "RecspecGelu";
export const GELU_GRAD = "RecspecGeluGrad";

/** Registers both kernels on the wasm backend when the addon is given, else removes them. */
export function useNativeGeluKernels(blas: NativeBlas | undefined): void {
  useAddonKernel(GELU, blas, (b) => elementwiseKernel(["x"], ([x, y]) => b.gelu(x, y)));
  useAddonKernel(GELU_GRAD, blas, (b) => elementwiseKernel(["x", "dy"], ([x, dy, dx]) => b.geluGrad(x, dy, dx)));
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
