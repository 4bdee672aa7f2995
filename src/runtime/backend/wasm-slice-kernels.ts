// Slice, SplitV, Tile and Concat for the tfjs `wasm` backend as runs of contiguous copies between views of
// the heap, and (with the native addon) Transposes that keep the last axis in place and Tiles that
// repeat whole rows, as one native row gather. Slice takes x, begin and size; SplitV cuts x along
// an axis into given sizes; Tile repeats x reps[i] times along each axis; Concat joins inputs along
// an axis; such a Transpose only reorders whole rows. Strings go to the stock kernels.
//
// Why: the stock Slice (and SplitV, which is made of it) first copies the whole input out of the
// heap (backend.readSync) for every slice it cuts, and the stock Tile computes an index per element.
// In the SID-ranking step (bench/models/ranking.ts) the gradient of [u, v, u ⊙ v] is one SplitV of
// [5,120 × 192] (52.8 ms of CPU, measured with tf.profile), the gradient of tiling the user
// vectors is five Slices (27.9 ms) and the Tile itself 23.7 ms: more than the step's matmuls.
// Attention splits heads with [B, T, H, hd] → [B, H, T, hd]: the stock Transpose moves them element
// by element (58 ms of a paper-size TIGER step); as rows of hd floats it is one native gather.
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import type { NativeBlas } from "./native-blas.js";

export type HeapArray = Float32Array | Int32Array | Uint8Array;

/** Slice by contiguous runs; falls back to `original` for strings. */
export function runSlice(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === "string" || x.dtype === "complex64") return original(args);
    const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, args.attrs?.begin as number[], args.attrs?.size as number[]);
    return sliceOf(args.backend as BackendWasm, x, begin, size);
  };
}

/** SplitV as one run-copying slice per part; falls back to `original` for strings. */
export function runSplitV(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === "string" || x.dtype === "complex64") return original(args);
    const axis = tf.util.parseAxisParam(args.attrs?.axis as number, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, args.attrs?.numOrSizeSplits as number[] | number, axis);
    const begin = x.shape.map(() => 0);
    return sizes.map((s) => {
      const size = [...x.shape];
      size[axis] = s;
      const part = sliceOf(args.backend as BackendWasm, x, [...begin], size);
      begin[axis] += s;
      return part;
    });
  };
}

/** Tile by copying input rows and then whole output blocks; falls back to `original` for strings. */
export function runTile(original: tf.KernelFunc, native?: NativeBlas): tf.KernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === "string" || x.dtype === "complex64") return original(args);
    const backend = args.backend as BackendWasm;
    const reps = args.attrs?.reps as number[];
    const shape = x.shape;
    const outShape = shape.map((d, i) => d * reps[i]);
    const out = backend.makeOutput(outShape, x.dtype);
    if (tf.util.sizeFromShape(outShape) === 0) return out;
    if (shape.length === 0) {
      (backend.typedArrayFromHeap(out) as HeapArray)[0] = (backend.typedArrayFromHeap(x) as HeapArray)[0];
      return out;
    }
    const last = shape.length - 1;
    if (native !== undefined && x.dtype === "float32" && reps[last] === 1 && shape[last] >= MIN_NATIVE_ROW) {
      // Whole rows repeated: one native gather, output row at index i reading input row i mod shape.
      const lead = shape.slice(0, last);
      const ids = rowIds(outShape.slice(0, last), strides(lead), lead);
      native.gatherRows(backend.typedArrayFromHeap(x) as Float32Array, ids, backend.typedArrayFromHeap(out) as Float32Array, shape[last]);
      return out;
    }
    // Views only after allocating: malloc may grow the heap and detach older views.
    const src = backend.typedArrayFromHeap(x) as HeapArray;
    const dst = backend.typedArrayFromHeap(out) as HeapArray;
    const inStrides = strides(shape);
    const outStrides = strides(outShape);
    const fill = (axis: number, from: number, to: number): void => {
      if (axis === last) {
        const row = shape[last];
        // One value repeated (a broadcast gradient, [n, 1] → [n, d]) is a fill.
        if (row === 1) dst.fill(src[from], to, to + reps[last]);
        else for (let r = 0; r < reps[last]; r++) copyRun(src, from, dst, to + r * row, row);
        return;
      }
      for (let i = 0; i < shape[axis]; i++) fill(axis + 1, from + i * inStrides[axis], to + i * outStrides[axis]);
      // Repeat the block just written: out index along `axis` is r·shape[axis] + i.
      const block = shape[axis] * outStrides[axis];
      for (let r = 1; r < reps[axis]; r++) dst.copyWithin(to + r * block, to, to + block);
    };
    fill(0, 0, 0);
    return out;
  };
}

/** Rows shorter than this are not worth a native row gather. */
const MIN_NATIVE_ROW = 8;

/** Transpose with perm[last] = last as a native gather of whole rows; other cases to `original`. */
export function rowTranspose(original: tf.KernelFunc, native: NativeBlas): tf.KernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const perm = args.attrs?.perm as number[];
    const rank = x.shape.length;
    const width = x.shape[rank - 1];
    if (x.dtype !== "float32" || rank < 3 || perm[rank - 1] !== rank - 1 || width < MIN_NATIVE_ROW) return original(args);
    const backend = args.backend as BackendWasm;
    const outShape = perm.map((axis) => x.shape[axis]);
    const out = backend.makeOutput(outShape, "float32");
    const rows = tf.util.sizeFromShape(outShape) / width;
    if (rows === 0) return out;
    // Output row at index (over the output's leading axes) reads input row Σ index[a]·stride[perm[a]].
    const rowStrides = strides(x.shape.slice(0, rank - 1));
    const ids = rowIds(
      outShape.slice(0, rank - 1),
      perm.slice(0, rank - 1).map((axis) => rowStrides[axis]),
    );
    native.gatherRows(backend.typedArrayFromHeap(x) as Float32Array, ids, backend.typedArrayFromHeap(out) as Float32Array, width);
    return out;
  };
}

/** Input row ids of an output's rows, in order: the row at index i (an odometer over `lead`, the
 * output's leading axes) reads Σ_a (i[a] mod wrap[a])·weights[a] (no mod without `wrap`). */
function rowIds(lead: number[], weights: number[], wrap?: number[]): Int32Array {
  const ids = new Int32Array(tf.util.sizeFromShape(lead));
  const index = new Array<number>(lead.length).fill(0);
  for (let r = 0; r < ids.length; r++) {
    let from = 0;
    for (let a = 0; a < lead.length; a++) from += (wrap === undefined ? index[a] : index[a] % wrap[a]) * weights[a];
    ids[r] = from;
    for (let a = lead.length - 1; a >= 0; a--) {
      if (++index[a] < lead[a]) break;
      index[a] = 0;
    }
  }
  return ids;
}

/** out = x[begin : begin + size], copied as the longest contiguous runs the slice allows. */
function sliceOf(backend: BackendWasm, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  const total = tf.util.sizeFromShape(size);
  if (total === 0) return out;
  const src = backend.typedArrayFromHeap(x) as HeapArray;
  const dst = backend.typedArrayFromHeap(out) as HeapArray;
  const rank = x.shape.length;
  const xStrides = strides(x.shape);
  // Trailing axes taken whole join the run; the run ends at the first axis that is cut.
  let runAxis = rank - 1;
  while (runAxis > 0 && begin[runAxis] === 0 && size[runAxis] === x.shape[runAxis]) runAxis--;
  const run = rank === 0 ? 1 : size[runAxis] * xStrides[runAxis];
  const start = begin.reduce((s, b, i) => s + b * xStrides[i], 0);
  // Odometer over the axes before the run axis.
  const index = new Array<number>(runAxis).fill(0);
  const copy = runCopier(src, dst);
  for (let to = 0; to < total; to += run) {
    let from = start;
    for (let a = 0; a < runAxis; a++) from += index[a] * xStrides[a];
    copy(from, to, run);
    for (let a = runAxis - 1; a >= 0; a--) {
      if (++index[a] < size[a]) break;
      index[a] = 0;
    }
  }
  return out;
}

/** Rows shorter than this are copied element by element (cheaper than making a subarray view). */
const SHORT_RUN = 16;

/** dst[to, to + length) = src[from, from + length). */
export function copyRun(src: HeapArray, from: number, dst: HeapArray, to: number, length: number): void {
  if (length < SHORT_RUN) for (let j = 0; j < length; j++) dst[to + j] = src[from + j];
  else dst.set(src.subarray(from, from + length), to);
}

/** copyRun from src to dst for many runs: when both are views of one heap with one element size,
 * copyWithin on a single whole-heap view, which makes no view per run (set(subarray) does; half
 * the cost of a concat of 5,120 rows of 64 floats). Copies bits, as set does. */
export function runCopier(src: HeapArray, dst: HeapArray): (from: number, to: number, length: number) => void {
  const size = dst.BYTES_PER_ELEMENT;
  if (src.buffer !== dst.buffer || src.BYTES_PER_ELEMENT !== size) return (from, to, length) => copyRun(src, from, dst, to, length);
  const heap = new (dst.constructor as new (buffer: ArrayBufferLike) => HeapArray)(dst.buffer);
  const s0 = src.byteOffset / size;
  const d0 = dst.byteOffset / size;
  return (from, to, length) => {
    if (length < SHORT_RUN) for (let j = 0; j < length; j++) dst[to + j] = src[from + j];
    else heap.copyWithin(d0 + to, s0 + from, s0 + from + length);
  };
}

/** Concat as one run per input and leading index, copied by runCopier; falls back to `original`
 * for strings and for a single non-empty input (which it returns as is). */
export function runConcat(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const inputs = args.inputs as unknown as tf.TensorInfo[];
    if (inputs.some((t) => t.dtype === "string" || t.dtype === "complex64")) return original(args);
    const shapes = inputs.map((t) => t.shape);
    const axis = tf.util.parseAxisParam(args.attrs?.axis as number, shapes[0])[0];
    tf.backend_util.assertParamsConsistent(shapes, axis);
    const parts = inputs.filter((t) => tf.util.sizeFromShape(t.shape) > 0);
    if (parts.length === 1) return original(args);
    const backend = args.backend as BackendWasm;
    const outShape = tf.backend_util.computeOutShape(shapes, axis);
    const out = backend.makeOutput(outShape, inputs[0].dtype);
    if (tf.util.sizeFromShape(outShape) === 0) return out;
    const outer = tf.util.sizeFromShape(outShape.slice(0, axis));
    const width = tf.util.sizeFromShape(outShape.slice(axis));
    // Views only after allocating: malloc may grow the heap and detach older views.
    const dst = backend.typedArrayFromHeap(out) as HeapArray;
    let offset = 0;
    for (const part of parts) {
      const inner = tf.util.sizeFromShape(part.shape.slice(axis));
      const copy = runCopier(backend.typedArrayFromHeap(part) as HeapArray, dst);
      for (let b = 0; b < outer; b++) copy(b * inner, b * width + offset, inner);
      offset += inner;
    }
    return out;
  };
}

/** Row-major strides of every axis (the last one's is 1). */
function strides(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  let stride = 1;
  for (let a = shape.length - 1; a >= 0; a--) {
    out[a] = stride;
    stride *= shape[a];
  }
  return out;
}
