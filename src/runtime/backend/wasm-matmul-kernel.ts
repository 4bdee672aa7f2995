// A faster BatchMatMul for the tfjs `wasm` backend. Takes the stock wasm BatchMatMul and Transpose
// kernel functions; gives kernel functions that only ever hand the stock kernel the one case it runs
// fast, and a transpose-first wrapper for _FusedMatMul.
//
// Why: the stock kernel (tfjs 4.22, batch_mat_mul_impl.cc) uses XNNPACK only when neither input is
// transposed AND both batch sizes are 1; everything else runs a blocked scalar loop 5-10x slower.
// Training hits the slow loop constantly: every matmul gradient has a transpose flag, and layers
// apply weights to [batch, time, dim] activations. So this kernel
//   1. physically transposes flagged inputs (an O(n²) copy before an O(n³) product),
//   2. folds the batch into the rows when b has batch size 1 ([B,T,D] @ [D,E] is one [B·T,D] @ [D,E]),
//   3. otherwise runs one XNNPACK product per batch entry on zero-copy views into the heap, with
//      proper broadcasting of batch dimensions, when the matrices are big enough to pay for the
//      per-call setup; tiny batched products stay on the stock loop.
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { broadcastSourceIndex } from "./batch-broadcast.js";

/** Below this many multiply-adds per batch entry, per-entry XNNPACK calls cost more than they save
 * (measured on the 2-core dev machine: 16³ loses 2x, 24³ wins 2x). */
const PER_ENTRY_MIN_MACS = 20 * 20 * 20;

interface MatMulInputs {
  a: tf.TensorInfo;
  b: tf.TensorInfo;
  [name: string]: tf.TensorInfo | undefined;
}

/** BatchMatMul that transposes first and batches through XNNPACK; see the file header. */
export function fastBatchMatMul(original: tf.KernelFunc, transpose: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as MatMulInputs;
    if (a.dtype !== "float32" || b.dtype !== "float32") return original(args); // stock error message
    const backend = args.backend as BackendWasm;
    const a2 = args.attrs?.transposeA === true ? swapLastTwoAxes(a, backend, transpose) : a;
    const b2 = args.attrs?.transposeB === true ? swapLastTwoAxes(b, backend, transpose) : b;
    try {
      return untransposedMatMul(a2, b2, backend, original);
    } finally {
      // The copies are private to this call; free them now rather than at the end of a tidy.
      if (a2 !== a) backend.disposeData(a2.dataId);
      if (b2 !== b) backend.disposeData(b2.dataId);
    }
  };
}

/** _FusedMatMul (bias/activation epilogue) with transposed inputs materialised first. Batching is
 * left to the stock kernel: the runtime uses plain matMul for anything batched. */
export function transposeFirstFusedMatMul(original: tf.KernelFunc, transpose: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, attrs } = args;
    const transposeA = attrs?.transposeA === true;
    const transposeB = attrs?.transposeB === true;
    if (!transposeA && !transposeB) return original(args);
    const backend = args.backend as BackendWasm;
    const { a, b } = inputs as MatMulInputs;
    const a2 = transposeA ? swapLastTwoAxes(a, backend, transpose) : a;
    const b2 = transposeB ? swapLastTwoAxes(b, backend, transpose) : b;
    try {
      return original({
        inputs: { ...inputs, a: a2, b: b2 },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      });
    } finally {
      if (a2 !== a) backend.disposeData(a2.dataId);
      if (b2 !== b) backend.disposeData(b2.dataId);
    }
  };
}

function swapLastTwoAxes(x: tf.TensorInfo, backend: BackendWasm, transpose: tf.KernelFunc): tf.TensorInfo {
  const rank = x.shape.length;
  const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
  return transpose({ inputs: { x }, backend, attrs: { perm } }) as tf.TensorInfo;
}

function untransposedMatMul(a: tf.TensorInfo, b: tf.TensorInfo, backend: BackendWasm, original: tf.KernelFunc): tf.TensorInfo {
  const m = a.shape[a.shape.length - 2];
  const k = a.shape[a.shape.length - 1];
  const n = b.shape[b.shape.length - 1];
  if (b.shape[b.shape.length - 2] !== k) {
    throw new Error(`Error in matMul: inner shapes (${k}) and (${b.shape[b.shape.length - 2]}) of Tensors with shapes ${a.shape} and ${b.shape} must match.`);
  }
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const outBatch = tf.broadcast_util.assertAndGetBroadcastShape(aBatch, bBatch);
  const outShape = [...outBatch, m, n];
  const batchA = tf.util.sizeFromShape(aBatch);
  const batchB = tf.util.sizeFromShape(bBatch);
  const batch = tf.util.sizeFromShape(outBatch);
  const noFlags = { transposeA: false, transposeB: false };

  if (batchB === 1) {
    // One product: the batch of a becomes extra rows. The stock kernel reshapes whatever it gets to
    // rank 3, so passing a [1, rows, k] view of the same data is enough.
    const out = original({
      inputs: { a: { ...a, shape: [1, batchA * m, k] }, b: { ...b, shape: [1, k, n] } },
      backend,
      attrs: noFlags,
    }) as tf.TensorInfo;
    return { ...out, shape: outShape };
  }
  if (batchA === batchB && m * k * n < PER_ENTRY_MIN_MACS) {
    const out = original({ inputs: { a, b }, backend, attrs: noFlags }) as tf.TensorInfo;
    return { ...out, shape: outShape };
  }
  return perEntryMatMul(a, b, aBatch, bBatch, outBatch, [m, k, n], batch, backend, original);
}

/** Runs one [m,k]@[k,n] product per output batch entry on views into a's and b's heap memory and
 * gathers the results; batch dims broadcast NumPy-style. */
function perEntryMatMul(
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  aBatch: number[],
  bBatch: number[],
  outBatch: number[],
  [m, k, n]: number[],
  batch: number,
  backend: BackendWasm,
  original: tf.KernelFunc,
): tf.TensorInfo {
  const out = backend.makeOutput([...outBatch, m, n], "float32");
  const aIndex = broadcastSourceIndex(aBatch, outBatch);
  const bIndex = broadcastSourceIndex(bBatch, outBatch);
  const aOffset = backend.getMemoryOffset(a.dataId);
  const bOffset = backend.getMemoryOffset(b.dataId);
  const bytes = Float32Array.BYTES_PER_ELEMENT;
  for (let i = 0; i < batch; i++) {
    const aView = heapView(backend, aOffset + aIndex[i] * m * k * bytes, [1, m, k]);
    const bView = heapView(backend, bOffset + bIndex[i] * k * n * bytes, [1, k, n]);
    try {
      const part = original({
        inputs: { a: aView, b: bView },
        backend,
        attrs: { transposeA: false, transposeB: false },
      }) as tf.TensorInfo;
      // Fresh views each time: the call may have grown the heap and detached older ones.
      backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(part), i * m * n);
      backend.disposeData(part.dataId);
    } finally {
      releaseHeapView(backend, aView);
      releaseHeapView(backend, bView);
    }
  }
  return out;
}

/** Registers a tensor that aliases existing heap memory (no allocation, no copy). */
function heapView(backend: BackendWasm, memoryOffset: number, shape: number[]): tf.TensorInfo {
  return backend.makeOutput(shape, "float32", memoryOffset);
}

/** Unregisters a heap view without freeing the memory it aliases (disposeData would free it). */
function releaseHeapView(backend: BackendWasm, view: tf.TensorInfo): void {
  const data = backend.dataIdMap.get(view.dataId);
  backend.wasm.tfjs.disposeData(data.id);
  backend.dataIdMap.delete(view.dataId);
}
