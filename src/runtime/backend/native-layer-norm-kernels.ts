// Layer normalisation over the last axis on the native addon (native/src/layer_norm.c), as two wasm
// kernels tied together by a custom gradient: forward x, gamma, beta → y, plus the per-row mean and
// 1/std it saves; backward → dx, dgamma, dbeta in one pass over the rows.
//
// Why: the op-by-op form is about thirty kernels per layer norm forward and backward (moments,
// subtract, rsqrt, scale, shift, and their broadcasting gradients), each a pass over the whole
// activation; a paper-size TIGER step has 22 layer norms per micro-batch.
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { backendHasKernel, heapFloats, useAddonKernel } from "./addon-kernels.js";
import type { NativeBlas } from "./native-blas.js";

export const LAYER_NORM = "RecspecLayerNorm";
export const LAYER_NORM_GRAD = "RecspecLayerNormGrad";

function layerNormKernel(blas: NativeBlas): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { x, gamma, beta } = args.inputs as Record<"x" | "gamma" | "beta", tf.TensorInfo>;
    const dim = x.shape[x.shape.length - 1];
    const rows = tf.util.sizeFromShape(x.shape) / dim;
    const outs = [backend.makeOutput(x.shape, "float32"), backend.makeOutput([rows], "float32"), backend.makeOutput([rows], "float32")];
    if (rows > 0) {
      const [y, mean, rstd] = outs.map((t) => heapFloats(backend, t));
      blas.layerNorm(heapFloats(backend, x), heapFloats(backend, gamma), heapFloats(backend, beta), y, mean, rstd, rows, dim, Number(args.attrs?.eps));
    }
    return outs;
  };
}

function layerNormGradKernel(blas: NativeBlas): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { x, gamma, mean, rstd, dy } = args.inputs as Record<"x" | "gamma" | "mean" | "rstd" | "dy", tf.TensorInfo>;
    const dim = x.shape[x.shape.length - 1];
    const rows = tf.util.sizeFromShape(x.shape) / dim;
    const outs = [backend.makeOutput(x.shape, "float32"), backend.makeOutput([dim], "float32"), backend.makeOutput([dim], "float32")];
    const [dx, dgamma, dbeta] = outs.map((t) => heapFloats(backend, t));
    blas.layerNormGrad(
      heapFloats(backend, x),
      heapFloats(backend, gamma),
      heapFloats(backend, mean),
      heapFloats(backend, rstd),
      heapFloats(backend, dy),
      dx,
      dgamma,
      dbeta,
      rows,
      dim,
    );
    return outs;
  };
}

/** Registers both kernels on the wasm backend when the addon is given, else removes them. */
export function useNativeLayerNormKernels(blas: NativeBlas | undefined): void {
  useAddonKernel(LAYER_NORM, blas, layerNormKernel);
  useAddonKernel(LAYER_NORM_GRAD, blas, layerNormGradKernel);
}

/** (x − mean)/√(var + eps)·gamma + beta over the last axis with its one-pass gradient, or undefined
 * when the current backend has no such kernels. */
export function nativeLayerNorm(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): tf.Tensor | undefined {
  if (x.dtype !== "float32" || !backendHasKernel(LAYER_NORM)) return undefined;
  const norm = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xs, g, b] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const [y, mean, rstd] = tf.engine().runKernel(LAYER_NORM, { x: xs, gamma: g, beta: b }, { eps }) as tf.Tensor[];
    save([xs, g, mean, rstd]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sg, sm, sr] = saved;
        return tf.engine().runKernel(LAYER_NORM_GRAD, { x: sx, gamma: sg, mean: sm, rstd: sr, dy: tf.cast(dy, "float32") }) as tf.Tensor[];
      },
    };
  });
  return norm(x, gamma, beta);
}
