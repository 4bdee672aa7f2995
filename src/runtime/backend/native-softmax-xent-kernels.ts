// Softmax cross-entropy over a large catalogue on the native addon (native/src/softmax_xent.c), as
// two wasm kernels: log-sum-exp of each row of logits [N, C] → [N], and the loss's gradient
// dy·(softmax(z) − (1−ε)·onehot(t) − ε/C) → [N, C] from z, that log-sum-exp, int32 targets and dy.
//
// Why: each is one pass over the logits where the op-by-op forms take five or six, and with a full
// softmax over 12k items at every position of a SASRec batch every pass is 155 MB: forward and
// backward were about 130 ms of a 330 ms step (tf.profile: Max, Sub, Exp, Sum, GatherND,
// TensorScatterUpdate).
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { backendHasKernel, heapFloats, useAddonKernel } from "./addon-kernels.js";
import type { NativeBlas } from "./native-blas.js";

export const LOG_SUM_EXP_ROWS = "RecspecLogSumExpRows";
export const SOFTMAX_XENT_GRAD = "RecspecSoftmaxXentGrad";

function logSumExpRowsKernel(blas: NativeBlas): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const z = args.inputs.z as tf.TensorInfo;
    const [n, c] = z.shape;
    const out = backend.makeOutput([n], "float32");
    if (n > 0) blas.logSumExpRows(heapFloats(backend, z), heapFloats(backend, out), n, c);
    return out;
  };
}

function softmaxXentGradKernel(blas: NativeBlas): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { z, lse, t, dy } = args.inputs as Record<"z" | "lse" | "t" | "dy", tf.TensorInfo>;
    const [n, c] = z.shape;
    const out = backend.makeOutput([n, c], "float32");
    if (n > 0) {
      const targets = backend.typedArrayFromHeap(t) as Int32Array;
      blas.softmaxXentGrad(
        heapFloats(backend, z),
        heapFloats(backend, lse),
        targets,
        heapFloats(backend, dy),
        heapFloats(backend, out),
        n,
        c,
        Number(args.attrs?.eps),
      );
    }
    return out;
  };
}

/** Registers both kernels on the wasm backend when the addon is given, else removes them. */
export function useNativeSoftmaxXentKernels(blas: NativeBlas | undefined): void {
  useAddonKernel(LOG_SUM_EXP_ROWS, blas, logSumExpRowsKernel);
  useAddonKernel(SOFTMAX_XENT_GRAD, blas, softmaxXentGradKernel);
}

/** log Σ_j e^z[i, j] per row [N], or undefined when the current backend has no such kernel. */
export function nativeLogSumExpRows(z: tf.Tensor2D): tf.Tensor1D | undefined {
  if (z.dtype !== "float32" || !backendHasKernel(LOG_SUM_EXP_ROWS)) return undefined;
  return tf.engine().runKernel(LOG_SUM_EXP_ROWS, { z }) as tf.Tensor1D;
}

/** dy·(softmax(z) − (1−ε)·onehot(t) − ε/C) [N, C], or undefined without the kernel. */
export function nativeSoftmaxXentGrad(z: tf.Tensor2D, lse: tf.Tensor1D, t: tf.Tensor1D, dy: tf.Tensor1D, eps: number): tf.Tensor2D | undefined {
  if (z.dtype !== "float32" || t.dtype !== "int32" || !backendHasKernel(SOFTMAX_XENT_GRAD)) return undefined;
  return tf.engine().runKernel(SOFTMAX_XENT_GRAD, { z, lse, t, dy: tf.cast(dy, "float32") }, { eps }) as tf.Tensor2D;
}
