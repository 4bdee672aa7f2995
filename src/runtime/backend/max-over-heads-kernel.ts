// Max over the heads axis of multi-interest scores, [B, H, N] → [B, N], as a kernel of our own on
// the wasm heap, with its gradient (dy reaches every head equal to the maximum, as tf.max's does).
// Takes and gives float32 tensors; the scans run in the native addon when it is loaded
// (vectorised C), else as the JavaScript loops below. Other backends use tf ops instead
// (models/max-interest-scores.ts).
//
// Why a kernel: the host version read the scores out of the heap (dataSync) and wrote the result
// back (tf.tensor), twice per step, and on wasm each such 4 MB copy cost 10–19 ms of CPU at
// B = N = 512, H = 4 — more than the scans themselves; and the scans' compare-and-branch per
// element, with outcomes no branch predictor guesses, cost another 10–20 ms in JavaScript.
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import type { NativeBlas } from "./native-blas.js";

export const MAX_OVER_HEADS = "RecspecMaxOverHeads";
export const MAX_OVER_HEADS_GRAD = "RecspecMaxOverHeadsGrad";

/** best[i, j] = max_k x[i, k, j] for x [b, h, n]. */
export function maxOverHeadsInto(x: ArrayLike<number>, b: number, h: number, n: number, best: Float32Array): void {
  for (let i = 0; i < b; i++) {
    const o = i * n;
    const first = i * h * n;
    for (let j = 0; j < n; j++) best[o + j] = x[first + j];
    for (let k = 1; k < h; k++) {
      const base = first + k * n;
      for (let j = 0; j < n; j++) {
        const v = x[base + j];
        if (v > best[o + j]) best[o + j] = v;
      }
    }
  }
}

/** grad[i, k, j] = dy[i, j] where x[i, k, j] equals best[i, j], else 0 (every entry written). */
export function maxOverHeadsGradInto(
  x: ArrayLike<number>,
  best: ArrayLike<number>,
  dy: ArrayLike<number>,
  b: number,
  h: number,
  n: number,
  grad: Float32Array,
): void {
  for (let i = 0; i < b; i++) {
    const o = i * n;
    for (let k = 0; k < h; k++) {
      const base = (i * h + k) * n;
      // Multiplying by the comparison, not branching on it: the outcome is unpredictable.
      for (let j = 0; j < n; j++) grad[base + j] = dy[o + j] * +(x[base + j] === best[o + j]);
    }
  }
}

/** Registers both kernels on the wasm backend, served by `native` when given; a later call with
 * another `native` replaces them. */
export function registerMaxOverHeadsKernels(native?: NativeBlas): void {
  for (const name of [MAX_OVER_HEADS, MAX_OVER_HEADS_GRAD]) {
    if (tf.getKernel(name, "wasm") !== undefined) tf.unregisterKernel(name, "wasm");
  }
  const scan = native
    ? native.maxOverHeads.bind(native)
    : (x: Float32Array, best: Float32Array, b: number, h: number, n: number) => maxOverHeadsInto(x, b, h, n, best);
  const gradient = native
    ? native.maxOverHeadsGrad.bind(native)
    : (x: Float32Array, best: Float32Array, dy: Float32Array, grad: Float32Array, b: number, h: number, n: number) =>
        maxOverHeadsGradInto(x, best, dy, b, h, n, grad);
  tf.registerKernel({
    kernelName: MAX_OVER_HEADS,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend }) => {
      const wasm = backend as BackendWasm;
      const x = inputs.x as tf.TensorInfo;
      const [b, h, n] = x.shape;
      const out = wasm.makeOutput([b, n], "float32");
      scan(wasm.typedArrayFromHeap(x) as Float32Array, wasm.typedArrayFromHeap(out) as Float32Array, b, h, n);
      return out;
    },
  });
  tf.registerKernel({
    kernelName: MAX_OVER_HEADS_GRAD,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend }) => {
      const wasm = backend as BackendWasm;
      const { x, best, dy } = inputs as Record<string, tf.TensorInfo>;
      const [b, h, n] = x.shape;
      const out = wasm.makeOutput([b, h, n], "float32");
      const view = (t: tf.TensorInfo) => wasm.typedArrayFromHeap(t) as Float32Array;
      gradient(view(x), view(best), view(dy), view(out), b, h, n);
      return out;
    },
  });
}
