// NumPy-style broadcasting of matmul batch dimensions. Takes an operand's batch shape and the
// broadcast output batch shape; gives, for every output batch entry, which entry of the operand it
// reads. Shared by the wasm and native BatchMatMul kernels.
import * as tf from "@tensorflow/tfjs-core";

/** For each flat index into the broadcast batch shape, the flat index into `shape` it reads. */
export function broadcastSourceIndex(shape: number[], outShape: number[]): Int32Array {
  const size = tf.util.sizeFromShape(outShape);
  const index = new Int32Array(size);
  const offset = outShape.length - shape.length;
  const strides = tf.util.computeStrides(shape);
  for (let flat = 0; flat < size; flat++) {
    let rest = flat;
    let source = 0;
    for (let d = outShape.length - 1; d >= 0; d--) {
      const coord = rest % outShape[d];
      rest = (rest - coord) / outShape[d];
      const sd = d - offset;
      if (sd >= 0 && shape[sd] !== 1) source += coord * (sd === shape.length - 1 ? 1 : strides[sd]);
    }
    index[flat] = source;
  }
  return index;
}
