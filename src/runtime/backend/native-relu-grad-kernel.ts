// The ReLU's gradient from its output on the native addon (native/src/relu_grad.c): dy, y → dx =
// y > 0 ? dy : 0 in one pass, where tfjs's fused matmul gradient takes step(y) and dy·step(y).
// Takes float32 y and dy of one shape; gives dx of that shape, or undefined without the kernel.
import * as tf from "@tensorflow/tfjs-core";
import { backendHasKernel, elementwiseKernel, useAddonKernel } from "./addon-kernels.js";
import type { NativeBlas } from "./native-blas.js";

export const RELU_GRAD = "RecspecReluGrad";

/** Registers the kernel on the wasm backend when the addon is given, else removes it. */
export function useNativeReluGradKernel(blas: NativeBlas | undefined): void {
  useAddonKernel(RELU_GRAD, blas, (b) => elementwiseKernel(["y", "dy"], ([y, dy, dx]) => b.reluGrad(y, dy, dx)));
}

/** True when the current backend serves nativeReluGrad. */
export function hasNativeReluGrad(): boolean {
  return backendHasKernel(RELU_GRAD);
}

/** dy where y > 0, else 0 (y, dy float32 of one shape). */
export function nativeReluGrad(y: tf.Tensor, dy: tf.Tensor): tf.Tensor {
  return tf.engine().runKernel(RELU_GRAD, { y, dy }) as tf.Tensor;
}
