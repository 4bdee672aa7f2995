// A gathered segment sum whose pairs come in parts, each part's sum taken on its own and the parts'
// sums added in order: the table gradient of one lookup that serves several id lists (histories
// and candidates, ranking/embed-parts.ts), with the bits of separate lookups whose gradients the
// tape adds. Takes x [n, width], host arrays from / ids (one pair each) and ends (each part's end
// in them), and the output's row count; gives out [numSegments, width].
//
// Why: separately, each lookup's gradient is a fresh [rows, width] array (16.7 MB in the SID-ranking
// step) zeroed, scattered into and then added to the other; on the addon (native/src/segment_sum_parts.c)
// it is one array, later parts summed into compact rows first. The pairs travel as host arrays in
// the kernel's attributes, so no index tensor is made per step.
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { backendHasKernel, heapFloats, useAddonKernel } from "./addon-kernels.js";
import type { NativeBlas } from "./native-blas.js";

export const GATHER_SEGMENT_SUM_PARTS = "RecspecGatherSegmentSumParts";

interface PartsAttrs {
  from: Int32Array;
  ids: Int32Array;
  ends: Int32Array;
  numSegments: number;
}

function kernel(blas: NativeBlas): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const x = args.inputs.x as tf.TensorInfo;
    const { from, ids, ends, numSegments } = args.attrs as unknown as PartsAttrs;
    const width = x.shape[1];
    const out = backend.makeOutput([numSegments, width], "float32");
    if (numSegments * width === 0) return out;
    blas.gatherSegmentSumParts(heapFloats(backend, x), from, ids, heapFloats(backend, out), width, ends);
    return out;
  };
}

/** Registers the kernel on the wasm backend when the addon is given, else removes it. */
export function useNativeSegmentSumPartsKernel(blas: NativeBlas | undefined): void {
  useAddonKernel(GATHER_SEGMENT_SUM_PARTS, blas, kernel);
}

/** Σ_p unsortedSegmentSum(gather(x, from_p), ids_p, numSegments) over the parts p in order, x [n, width]
 * float32 (not differentiable: for gradient functions). */
export function gatherSegmentSumParts(x: tf.Tensor2D, from: Int32Array, ids: Int32Array, ends: Int32Array, numSegments: number): tf.Tensor2D {
  if (x.dtype === "float32" && x.shape[1] > 0 && backendHasKernel(GATHER_SEGMENT_SUM_PARTS)) {
    const attrs = { from, ids, ends, numSegments } as unknown as tf.NamedAttrMap;
    return tf.engine().runKernel(GATHER_SEGMENT_SUM_PARTS, { x }, attrs) as tf.Tensor2D;
  }
  return tf.tidy(() => {
    let sum: tf.Tensor2D | null = null;
    ends.forEach((end, p) => {
      const start = p === 0 ? 0 : ends[p - 1];
      const part = tf.unsortedSegmentSum(
        tf.gather(x, tf.tensor1d(from.subarray(start, end), "int32")),
        tf.tensor1d(ids.subarray(start, end), "int32"),
        numSegments,
      ) as tf.Tensor2D;
      sum = sum === null ? part : (tf.add(sum, part) as tf.Tensor2D);
    });
    return sum ?? (tf.zeros([numSegments, x.shape[1]]) as tf.Tensor2D);
  });
}
