// One Adam (or AdamW) update as a single kernel for the tfjs `wasm` backend, computed by the native
// addon (native/src/adam.c). Takes w, g, m, v (float32, one shape) and attrs lr, beta1, beta2,
// c1 = 1 − β1^t, c2 = 1 − β2^t, eps and wd; gives [w', m', v'] with
//   m' = β1·m + (1−β1)·g,  v' = β2·v + (1−β2)·g²,  w' = w − lr·((m'/c1)/(√(v'/c2) + ε) + wd·w).
//
// Why: the op-by-op update is a dozen elementwise kernels per variable, each writing a fresh tensor
// the size of the variable: 27 ms per step for the 4.2M parameters of the SID-ranking benchmark's
// tables, where one vectorised pass reads four arrays and writes three — back into w, m and v
// themselves when no other tensor shares their buffers. A JavaScript loop is no
// answer: it is scalar, 47 ms (measured here), so without the addon the optimizer keeps its ops.
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { backendHasKernel, heapFloats, useAddonKernel } from "./addon-kernels.js";
import type { NativeBlas } from "./native-blas.js";
import { shareBuffer } from "./wasm-shared-buffer-kernels.js";

export const FUSED_ADAM = "RecspecFusedAdam";

export interface FusedAdamAttrs {
  lr: number;
  beta1: number;
  beta2: number;
  c1: number;
  c2: number;
  eps: number;
  wd: number;
}

function fusedAdamKernel(blas: NativeBlas): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { w, g, m, v } = args.inputs as Record<"w" | "g" | "m" | "v", tf.TensorInfo>;
    const { lr, beta1, beta2, c1, c2, eps, wd } = args.attrs as unknown as FusedAdamAttrs;
    for (const t of [w, g, m, v]) {
      if (t.dtype !== "float32") throw new Error(`${FUSED_ADAM}: expects float32, got ${t.dtype}`);
      if (!tf.util.arraysEqual(t.shape, w.shape)) throw new Error(`${FUSED_ADAM}: shape [${t.shape}] differs from the variable's [${w.shape}]`);
    }
    // Buffers nothing else references (refCount 1: only the variable) are updated in place and
    // handed back as the outputs; writing fresh buffers costs a third more memory traffic.
    const inPlace = [w, m, v].every((t) => backend.refCount(t.dataId) === 1);
    const outs = inPlace ? [w, m, v].map((t) => shareBuffer(backend, t, t.shape)) : [w, m, v].map(() => backend.makeOutput(w.shape, "float32"));
    if (tf.util.sizeFromShape(w.shape) === 0) return outs;
    // Views only after allocating: malloc may grow the heap and detach older views.
    const [W, G, M, V, W1, M1, V1] = [w, g, m, v, ...outs].map((t) => heapFloats(backend, t));
    blas.adamUpdate(W, G, M, V, W1, M1, V1, lr, beta1, beta2, c1, c2, eps, wd);
    return outs;
  };
}

/** Registers the kernel on the wasm backend when the addon is given, else removes it. */
export function useFusedAdamKernel(blas: NativeBlas | undefined): void {
  useAddonKernel(FUSED_ADAM, blas, fusedAdamKernel);
}

/** [w', m', v'] from the fused kernel, or undefined when the current backend has none. */
export function runFusedAdam(w: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor, attrs: FusedAdamAttrs): tf.Tensor[] | undefined {
  if (w.dtype !== "float32" || g.dtype !== "float32" || !backendHasKernel(FUSED_ADAM)) return undefined;
  return tf.engine().runKernel(FUSED_ADAM, { w, g, m, v }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
}
