// Kernels of the tfjs `wasm` backend that can leave the data where it is: Identity, Transposes that
// move only size-1 axes and Casts to the input's own dtype. The output names the input's buffer
// and takes a reference on it (the cpu backend's Identity and wasm's own Reshape do the same).
// Why: autodiff keeps every tensor a backward pass needs through Identity (engine.clone), and the
// stock wasm kernel copies each one; the stock Transpose copies too when the permutation leaves
// the data in place (e.g. [n, 1] → [1, n] in the gradient of a one-output dense layer: 12 ms per
// SID-ranking step); and every Multiply's gradient casts both operands to float32, which the stock
// Cast copies even when they are float32 already (about 130 ms of a paper-size TIGER step, node
// --cpu-prof). Safe because tensors are immutable and no kernel here writes into an input; the
// buffer is freed when its last reference is disposed.
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

export function sharedIdentity(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  return shareBuffer(args.backend as BackendWasm, x, x.shape);
}

/** Transpose that shares the buffer when the axes it moves all have size 1. */
export function sharedTranspose(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const perm = args.attrs?.perm as number[];
    if (x.dtype === "string") return original(args);
    const moved = perm.filter((axis) => x.shape[axis] !== 1);
    if (moved.some((axis, i) => i > 0 && axis < moved[i - 1])) return original(args);
    return shareBuffer(
      args.backend as BackendWasm,
      x,
      perm.map((axis) => x.shape[axis]),
    );
  };
}

/** Cast that shares the buffer when the dtype does not change. Casts to bool compute x ≠ 0: the
 * stock kernel stores the number into a byte, so −2 became 254 instead of true (1). */
export function sharedCast(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const dtype = args.attrs?.dtype;
    const backend = args.backend as BackendWasm;
    if (x.dtype === "string") return original(args);
    if (x.dtype === dtype) return shareBuffer(backend, x, x.shape);
    if (dtype !== "bool") return original(args);
    const out = backend.makeOutput(x.shape, "bool");
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(out);
    for (let i = 0; i < src.length; i++) dst[i] = src[i] !== 0 ? 1 : 0;
    return out;
  };
}

/** A new tensor of `shape` naming x's buffer, with a reference taken on it. */
export function shareBuffer(backend: BackendWasm, x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape, dtype: x.dtype };
}
