// Max over the heads axis of multi-interest scores, [B, H, N] → [B, N], as a kernel of our own on
// the wasm heap, with its gradient (dy reaches every head equal to the maximum, as tf.max's does).
// Takes and gives float32 tensors; the scans are plain loops shared with the host fallback in
// models/max-interest-scores.ts.
//
// Why a kernel: the host version read the scores out of the heap (dataSync) and wrote the result
// back (tf.tensor), twice per step, and on wasm each such 4 MB copy cost 10–19 ms of CPU at
// B = N = 512, H = 4 — more than the scans themselves.
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

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
      for (let j = 0; j < n; j++) grad[base + j] = x[base + j] === best[o + j] ? dy[o + j] : 0;
    }
  }
}

/** Registers both kernels on the wasm backend (idempotent). */
export function registerMaxOverHeadsKernels(): void {
  if (tf.getKernel(MAX_OVER_HEADS, "wasm") !== undefined) return;
  tf.registerKernel({
    kernelName: MAX_OVER_HEADS,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend }) => {
      const wasm = backend as BackendWasm;
      const x = inputs.x as tf.TensorInfo;
      const [b, h, n] = x.shape;
      const out = wasm.makeOutput([b, n], "float32");
      maxOverHeadsInto(wasm.typedArrayFromHeap(x), b, h, n, wasm.typedArrayFromHeap(out) as Float32Array);
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
      const view = (t: tf.TensorInfo) => wasm.typedArrayFromHeap(t);
      maxOverHeadsGradInto(view(x), view(best), view(dy), b, h, n, view(out) as Float32Array);
      return out;
    },
  });
}
