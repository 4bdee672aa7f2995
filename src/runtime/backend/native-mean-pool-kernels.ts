// Mean pooling of left-padded histories on the native addon (native/src/mean_pool.c), as two wasm
// kernels tied together by a custom gradient. Takes h [B, T, E] and the histories' ids [B·T]
// (0 = padding); gives users [B, E], each the mean of its real items' rows (zeros for none).
//
// Why: as ops the mean is a mask tensor, mask product, two sums, a maximum and a quotient forward
// and three passes backward over [B, T, E]; here one pass each way, the ids read from the host
// array (no mask tensor per step). Bit for bit the numbers of the op-by-op form.
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { backendHasKernel, heapFloats, useAddonKernel } from "./addon-kernels.js";
import type { NativeBlas } from "./native-blas.js";

export const MEAN_POOL = "RecspecMeanPool";
export const MEAN_POOL_GRAD = "RecspecMeanPoolGrad";

function meanPoolKernel(blas: NativeBlas): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const h = args.inputs.h as tf.TensorInfo;
    const ids = args.attrs?.ids as unknown as Int32Array;
    const [count, , dim] = h.shape;
    const out = backend.makeOutput([count, dim], "float32");
    if (count * dim > 0) blas.meanPool(heapFloats(backend, h), ids, heapFloats(backend, out), count, dim);
    return out;
  };
}

function meanPoolGradKernel(blas: NativeBlas): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const dy = args.inputs.dy as tf.TensorInfo;
    const ids = args.attrs?.ids as unknown as Int32Array;
    const [count, dim] = dy.shape;
    const out = backend.makeOutput([count, ids.length / count, dim], "float32");
    if (ids.length * dim > 0) blas.meanPoolGrad(heapFloats(backend, dy), ids, heapFloats(backend, out), count, dim);
    return out;
  };
}

/** Registers both kernels on the wasm backend when the addon is given, else removes them. */
export function useNativeMeanPoolKernels(blas: NativeBlas | undefined): void {
  useAddonKernel(MEAN_POOL, blas, meanPoolKernel);
  useAddonKernel(MEAN_POOL_GRAD, blas, meanPoolGradKernel);
}

/** Users [B, E] of h [B, T, E] and ids [B·T] with the one-pass gradient, or undefined when the
 * current backend has no such kernels. */
export function nativeMeanPool(h: tf.Tensor3D, ids: Int32Array): tf.Tensor2D | undefined {
  if (h.dtype !== "float32" || !backendHasKernel(MEAN_POOL)) return undefined;
  if (ids.length !== h.shape[0] * h.shape[1]) throw new Error(`meanPool: ${ids.length} ids for h of shape [${h.shape}]`);
  // The attrs carry the host array itself; copied, as the caller may refill it before the backward pass.
  const attrs = { ids: ids.slice() } as unknown as tf.NamedAttrMap;
  const pool = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => ({
    value: tf.engine().runKernel(MEAN_POOL, { h: args[0] as tf.Tensor }, attrs) as tf.Tensor2D,
    gradFunc: (dy: tf.Tensor) => tf.engine().runKernel(MEAN_POOL_GRAD, { dy: tf.cast(dy, "float32") }, attrs) as tf.Tensor,
  }));
  return pool(h) as tf.Tensor2D;
}
