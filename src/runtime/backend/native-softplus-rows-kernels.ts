// The negatives' half of gBCE on the native addon (native/src/softplus_rows.c), as two wasm kernels
// tied together by a custom gradient. Takes logits [P, K] and the sorted flat indices of entries left
// out; gives the row sums [P] of softplus(z) = −log(1 − σ(z)) over the entries kept, and the
// gradient dy[i]·σ(z[i, j]) (0 where left out).
//
// Why: the op-by-op logistic loss with zero labels is about ten passes over [P, K] forward and
// back (see losses/bce.ts), a fifth of a gBCE SASRec recipe step; this is one each way. The sums
// agree with it to about 1e-7 relative, not bit for bit (softplus_rows.c says why).
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { backendHasKernel, heapFloats, useAddonKernel } from "./addon-kernels.js";
import type { NativeBlas } from "./native-blas.js";

export const SOFTPLUS_ROWS = "RecspecSoftplusRows";
export const SOFTPLUS_ROWS_GRAD = "RecspecSoftplusRowsGrad";

function heapHits(backend: BackendWasm, hits: tf.TensorInfo): Int32Array {
  return tf.util.sizeFromShape(hits.shape) === 0 ? new Int32Array(0) : (backend.typedArrayFromHeap(hits) as Int32Array);
}

function forwardKernel(blas: NativeBlas): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { z, hits } = args.inputs as Record<"z" | "hits", tf.TensorInfo>;
    const [p, k] = z.shape;
    const out = backend.makeOutput([p], "float32");
    if (p > 0) blas.softplusRows(heapFloats(backend, z), heapHits(backend, hits), heapFloats(backend, out), p, k);
    return out;
  };
}

function gradKernel(blas: NativeBlas): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { z, hits, dy } = args.inputs as Record<"z" | "hits" | "dy", tf.TensorInfo>;
    const [p, k] = z.shape;
    const out = backend.makeOutput([p, k], "float32");
    if (p > 0) blas.softplusRowsGrad(heapFloats(backend, z), heapHits(backend, hits), heapFloats(backend, dy), heapFloats(backend, out), p, k);
    return out;
  };
}

/** Registers both kernels on the wasm backend when the addon is given, else removes them. */
export function useNativeSoftplusRowsKernels(blas: NativeBlas | undefined): void {
  useAddonKernel(SOFTPLUS_ROWS, blas, forwardKernel);
  useAddonKernel(SOFTPLUS_ROWS_GRAD, blas, gradKernel);
}

/** Row sums [P] of softplus(z) over z [P, K] leaving out `hits` (ascending flat indices), with
 * their gradient; undefined when the current backend has no such kernels. */
export function nativeSoftplusRows(z: tf.Tensor2D, hits: Int32Array): tf.Tensor1D | undefined {
  if (z.dtype !== "float32" || !backendHasKernel(SOFTPLUS_ROWS)) return undefined;
  return tf.tidy(() => {
    const hitIndices = tf.tensor1d(hits, "int32");
    const sums = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const zs = args[0] as tf.Tensor;
      const save = args[1] as tf.GradSaveFunc;
      save([zs, hitIndices]);
      return {
        value: tf.engine().runKernel(SOFTPLUS_ROWS, { z: zs, hits: hitIndices }) as tf.Tensor1D,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [sz, sh] = saved;
          return tf.engine().runKernel(SOFTPLUS_ROWS_GRAD, { z: sz, hits: sh, dy: tf.cast(dy, "float32") }) as tf.Tensor;
        },
      };
    });
    return sums(z) as tf.Tensor1D;
  });
}
