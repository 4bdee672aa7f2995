// BatchMatMul and _FusedMatMul for the tfjs `wasm` backend, computed by OpenBLAS through the native
// addon (native-blas.ts). Takes the addon and the kernels to fall back on; gives kernel functions.
//
// The addon reads and writes the wasm heap directly (Float32Array views, no copies). Transpose
// flags become sgemm's CblasTrans, so unlike the transpose-first kernel nothing is copied, and
// batch dimensions broadcast through per-entry offsets. When b has no batch and a is not transposed,
// a's batch is folded into the rows: one large sgemm instead of many small ones, which is both
// faster and lets OpenBLAS use its threads.
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { broadcastSourceIndex } from "./batch-broadcast.js";
import type { NativeBlas } from "./native-blas.js";

interface MatMulInputs {
  a: tf.TensorInfo;
  b: tf.TensorInfo;
  bias?: tf.TensorInfo;
  preluActivationWeights?: tf.TensorInfo;
}

/** BatchMatMul on OpenBLAS; non-float32 inputs go to `original` (which reports the stock error). */
export function nativeBatchMatMul(blas: NativeBlas, original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as unknown as MatMulInputs;
    if (a.dtype !== "float32" || b.dtype !== "float32") return original(args);
    const backend = args.backend as BackendWasm;
    return product(blas, backend, a, b, args.attrs?.transposeA === true, args.attrs?.transposeB === true);
  };
}

/** _FusedMatMul on OpenBLAS when the epilogue is simple (no activation or relu; a bias of n entries
 * or one); anything else (prelu, elu, sigmoid, a bias broadcast over rows) goes to `fallback`. */
export function nativeFusedMatMul(blas: NativeBlas, fallback: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { a, b, bias, preluActivationWeights } = args.inputs as unknown as MatMulInputs;
    const activation = (args.attrs?.activation as string | undefined) ?? "linear";
    const transposeB = args.attrs?.transposeB === true;
    const n = b.shape[b.shape.length - (transposeB ? 2 : 1)];
    const simple =
      a.dtype === "float32" &&
      b.dtype === "float32" &&
      preluActivationWeights === undefined &&
      (activation === "linear" || activation === "relu") &&
      (bias === undefined || (bias.dtype === "float32" && isRowBias(bias.shape, n)));
    if (!simple) return fallback(args);
    const backend = args.backend as BackendWasm;
    const out = product(blas, backend, a, b, args.attrs?.transposeA === true, transposeB);
    if (tf.util.sizeFromShape(out.shape) > 0) {
      const biasValues = bias === undefined ? null : (backend.typedArrayFromHeap(bias) as Float32Array);
      blas.biasActivation(backend.typedArrayFromHeap(out) as Float32Array, biasValues, n, activation === "relu" ? 1 : 0);
    }
    return out;
  };
}

/** A bias that adds the same row to every output row: shape [n], [1], [1, n], [1, 1, n], ... */
function isRowBias(shape: number[], n: number): boolean {
  const size = tf.util.sizeFromShape(shape);
  if (size !== n && size !== 1) return false;
  return shape.slice(0, -1).every((d) => d === 1);
}

function product(blas: NativeBlas, backend: BackendWasm, a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean): tf.TensorInfo {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = a.shape[transposeA ? ra - 1 : ra - 2];
  const k = a.shape[transposeA ? ra - 2 : ra - 1];
  const kb = b.shape[transposeB ? rb - 1 : rb - 2];
  const n = b.shape[transposeB ? rb - 2 : rb - 1];
  if (k !== kb) {
    throw new Error(
      `Error in matMul: inner shapes (${k}) and (${kb}) of Tensors with shapes ${a.shape} and ${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`,
    );
  }
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const outBatch = tf.broadcast_util.assertAndGetBroadcastShape(aBatch, bBatch);
  const out = backend.makeOutput([...outBatch, m, n], "float32");
  const batch = tf.util.sizeFromShape(outBatch);
  if (batch * m * n === 0) return out;

  let aOffsets: Int32Array;
  let bOffsets: Int32Array;
  let rows = m;
  if (tf.util.sizeFromShape(bBatch) === 1 && !transposeA && tf.util.sizeFromShape(aBatch) === batch) {
    // [B…, m, k] @ [k, n] is one [B·m, k] @ [k, n]: a's entries are contiguous rows, as are out's.
    rows = batch * m;
    aOffsets = new Int32Array(1);
    bOffsets = new Int32Array(1);
  } else {
    aOffsets = scaled(broadcastSourceIndex(aBatch, outBatch), m * k);
    bOffsets = scaled(broadcastSourceIndex(bBatch, outBatch), k * n);
  }
  // Views are taken after makeOutput: allocating may grow wasm memory and detach older views.
  blas.gemmBatch(
    backend.typedArrayFromHeap(a) as Float32Array,
    backend.typedArrayFromHeap(b) as Float32Array,
    backend.typedArrayFromHeap(out) as Float32Array,
    aOffsets,
    bOffsets,
    rows,
    n,
    k,
    transposeA,
    transposeB,
  );
  return out;
}

function scaled(index: Int32Array, factor: number): Int32Array {
  for (let i = 0; i < index.length; i++) index[i] *= factor;
  return index;
}
