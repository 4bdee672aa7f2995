// Differentiable helpers that core tfjs lacks or gets wrong. Takes tensors; gives tensors whose
// gradients are defined on every backend: stopGradient, Slice-only slicing, a cumsum that accepts
// negative axes, and a batched-input matmul whose gradient tfjs can compute.
import * as tf from "@tensorflow/tfjs-core";

/** Identity in the forward pass, no gradient (PyTorch's detach(), TF's stop_gradient), e.g. for
 * straight-through estimators, targets that must not be trained, and inputs of comparisons.
 *
 * The result is a second tensor over x's buffer, made outside any kernel so the gradient tape never
 * records it: nothing computed from it is connected to x. That matters beyond zero gradients:
 * tfjs has no gradient for comparison ops (Greater, Equal, ...) and fails if the tape merely passes
 * through one, so `tf.greater(stopGradient(x), 0)` is the way to branch on x inside a loss. As in
 * TF, a loss that depends on x only through stopGradient has no connection to x (tf.grad throws). */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  const engine = tf.engine();
  const backend = engine.state.tensorInfo.get(x.dataId)?.backend ?? tf.backend();
  const detached = engine.makeTensorFromDataId(x.dataId, x.shape, x.dtype, backend);
  // What a Reshape kernel does for its output: one more owner of the same buffer.
  backend.incRef(x.dataId);
  return detached as T;
}

/** Slices `size` entries starting at `start` along `axis`, through the Slice kernel, which has a
 * gradient (tf.stridedSlice has none). Negative axis and start count from the end, as in Python;
 * size -1 (the default) means "to the end". */
export function sliceAxis<T extends tf.Tensor>(x: T, axis: number, start: number, size = -1): T {
  const rank = x.rank;
  const ax = normaliseAxis(axis, rank);
  const length = x.shape[ax];
  const from = start < 0 ? length + start : start;
  const count = size < 0 ? length - from : size;
  if (from < 0 || count < 0 || from + count > length) {
    throw new Error(`sliceAxis: [${start}, +${size}) is out of range for axis ${axis} of shape [${x.shape}]`);
  }
  const begin = new Array<number>(rank).fill(0);
  const sizes = new Array<number>(rank).fill(-1);
  begin[ax] = from;
  sizes[ax] = count;
  return tf.slice(x, begin, sizes) as T;
}

/** sliceAxis on the last axis: x[..., start:start+size]. */
export function sliceLast<T extends tf.Tensor>(x: T, start: number, size = -1): T {
  return sliceAxis(x, -1, start, size);
}

/** tf.cumsum with a negative axis normalised first: tfjs 4.22's cumsum mis-handles axis < 0 (it
 * builds its transpose permutation from the raw value and fails or sums the wrong axis). */
export function safeCumsum<T extends tf.Tensor>(x: T, axis = 0, exclusive = false, reverse = false): T {
  return tf.cumsum(x, normaliseAxis(axis, x.rank), exclusive, reverse) as T;
}

/** x[..., k] @ w[k, n] -> [..., n]. tf.matMul would broadcast w over x's batch dims forward, but its
 * gradient then fails ("gradient of input 'b' has shape [B,k,n]...") because tfjs does not sum over
 * broadcast batch dims; folding the batch into rows avoids that and is one fast product on wasm. */
export function matMulLast(x: tf.Tensor, w: tf.Tensor2D): tf.Tensor {
  const k = x.shape[x.rank - 1];
  const rows = x.size / k;
  const flat = tf.matMul(tf.reshape(x, [rows, k]), w);
  return tf.reshape(flat, [...x.shape.slice(0, -1), w.shape[1]]);
}

function normaliseAxis(axis: number, rank: number): number {
  const ax = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(ax) || ax < 0 || ax >= rank) {
    throw new Error(`axis ${axis} is out of range for a rank-${rank} tensor`);
  }
  return ax;
}
