// Identity for the tfjs `wasm` backend without a copy: the output names the input's buffer and
// takes a reference on it (the cpu backend's Identity and wasm's own Reshape do the same).
// Why: autodiff keeps every tensor a backward pass needs through Identity (engine.clone), and the
// stock wasm kernel copies each one. Safe because tensors are immutable and no kernel here writes
// into an input; the buffer is freed when its last reference is disposed.
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

export function sharedIdentity(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  (args.backend as BackendWasm).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}
