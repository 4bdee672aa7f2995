// UnsortedSegmentSum for the tfjs `wasm` backend, which has none. Takes data and segment ids living
// on the wasm heap; gives out[s, ...] = Σ data[i, ...] over every i with segmentIds[i] = s.
//
// Why it matters: tf.gather's gradient is an UnsortedSegmentSum over the gathered rows, so without
// this kernel no embedding table can be trained on wasm. The work is a single pass of adds: a
// JavaScript loop over views of the heap, or with the native addon a vectorised one (≈ 4× faster).
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import type { NativeBlas } from "./native-blas.js";

/** segmentIds may have any rank r as long as its shape is a prefix of data's (TensorFlow's
 * contract; tf.gather's gradient passes 1-D ids). Ids outside [0, numSegments) are dropped, as
 * TensorFlow drops negative ids. */
export function wasmUnsortedSegmentSum(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }, native?: NativeBlas): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const x = args.inputs.x as tf.TensorInfo;
  const segmentIds = args.inputs.segmentIds as tf.TensorInfo;
  const numSegments = Number(args.attrs?.numSegments);
  const idsRank = segmentIds.shape.length;
  for (let d = 0; d < idsRank; d++) {
    if (segmentIds.shape[d] !== x.shape[d]) {
      throw new Error(`UnsortedSegmentSum: segmentIds shape [${segmentIds.shape}] must be a prefix of data shape [${x.shape}]`);
    }
  }
  if (x.dtype !== "float32" && x.dtype !== "int32") {
    throw new Error(`UnsortedSegmentSum on wasm supports float32 and int32 data, not ${x.dtype}`);
  }
  if (segmentIds.dtype !== "int32") {
    throw new Error(`UnsortedSegmentSum: segmentIds must be int32, not ${segmentIds.dtype}`);
  }
  const innerShape = x.shape.slice(idsRank);
  const inner = tf.util.sizeFromShape(innerShape);
  const out = backend.makeOutput([numSegments, ...innerShape], x.dtype);
  // Take heap views only after allocating: malloc may grow the heap and detach older views.
  const outValues = backend.typedArrayFromHeap(out);
  const values = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds) as Int32Array;
  if (native !== undefined && x.dtype === "float32" && inner > 0) {
    native.segmentSumRows(values as Float32Array, ids, outValues as Float32Array, inner);
    return out;
  }
  outValues.fill(0); // malloc does not zero memory
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i];
    if (!(s >= 0 && s < numSegments)) continue;
    const src = i * inner;
    const dst = s * inner;
    for (let j = 0; j < inner; j++) outValues[dst + j] += values[src + j];
  }
  return out;
}
