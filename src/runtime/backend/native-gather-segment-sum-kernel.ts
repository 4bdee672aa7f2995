// The gradient of a gather followed by a segment sum (an item that sums several table rows: the
// n-gram Semantic-ID tables of ranking models) in one pass on the native addon (native/src/rows.c).
// Takes x [n, ...], source rows `from` and target rows `ids` (int32, one per pair) and the number
// of output rows; gives out[ids[u]] += x[from[u]] summed over u, out [numSegments, ...].
//
// Why: unsortedSegmentSum(gather(x, from), ids) writes the gathered rows out (40,960 rows of 64 in
// the SID-ranking step) only to read them back; this adds them in the same order straight from x,
// so the sums are bit for bit the same.
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { backendHasKernel, heapFloats, useAddonKernel } from "./addon-kernels.js";
import type { NativeBlas } from "./native-blas.js";

export const GATHER_SEGMENT_SUM = "RecspecGatherSegmentSum";

function kernel(blas: NativeBlas): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { x, from, ids } = args.inputs as Record<"x" | "from" | "ids", tf.TensorInfo>;
    const inner = x.shape.slice(1);
    const width = tf.util.sizeFromShape(inner);
    const out = backend.makeOutput([Number(args.attrs?.numSegments), ...inner], "float32");
    if (tf.util.sizeFromShape(out.shape) === 0) return out;
    const heapInts = (t: tf.TensorInfo) => (tf.util.sizeFromShape(t.shape) === 0 ? new Int32Array(0) : (backend.typedArrayFromHeap(t) as Int32Array));
    blas.gatherSegmentSumRows(heapFloats(backend, x), heapInts(from), heapInts(ids), heapFloats(backend, out), width);
    return out;
  };
}

/** Registers the kernel on the wasm backend when the addon is given, else removes it. */
export function useNativeGatherSegmentSumKernel(blas: NativeBlas | undefined): void {
  useAddonKernel(GATHER_SEGMENT_SUM, blas, kernel);
}

/** unsortedSegmentSum(gather(x, from), ids, numSegments), one native pass where the backend has it
 * (not differentiable: for gradient functions). */
export function gatherSegmentSum(x: tf.Tensor, from: Int32Array, ids: Int32Array, numSegments: number): tf.Tensor {
  return tf.tidy(() => {
    const f = tf.tensor1d(from, "int32");
    const i = tf.tensor1d(ids, "int32");
    if (x.dtype === "float32" && x.rank >= 1 && width(x) > 0 && backendHasKernel(GATHER_SEGMENT_SUM)) {
      return tf.engine().runKernel(GATHER_SEGMENT_SUM, { x, from: f, ids: i }, { numSegments }) as tf.Tensor;
    }
    return tf.unsortedSegmentSum(tf.gather(x, f), i, numSegments);
  });
}

function width(x: tf.Tensor): number {
  return tf.util.sizeFromShape(x.shape.slice(1));
}
