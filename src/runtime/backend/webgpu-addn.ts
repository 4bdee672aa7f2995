// AddN for the webgpu backend in chunks. Takes the most inputs one shader may bind (the device's
// storage buffers per stage, less one for the output); gives nothing, but replaces the backend's
// AddN kernel. Why: tfjs binds every input of addN at once, and over the limit the device rejects
// the pipeline, prints a validation error and the result reads as zeros, without an exception.
// The global-norm clip sums one term per variable, so it crossed the default limit of 8 every step.
import * as tf from "@tensorflow/tfjs-core";

let installedFor: number | undefined;

export function installChunkedAddN(maxInputs: number): void {
  if (installedFor === maxInputs) return;
  const original = tf.getKernel("AddN", "webgpu");
  if (original === undefined) throw new Error("the webgpu backend has no AddN kernel to wrap");
  const inner = (original as tf.KernelConfig & { inner?: tf.KernelFunc }).inner ?? original.kernelFunc;
  const per = Math.max(2, maxInputs);
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    let terms = inputs as unknown as tf.TensorInfo[];
    const owned: tf.TensorInfo[] = [];
    // Sum groups of `per` until one group is left; a tree, so depth grows with log(n).
    while (terms.length > per) {
      const next: tf.TensorInfo[] = [];
      for (let i = 0; i < terms.length; i += per) {
        const group = terms.slice(i, i + per);
        if (group.length === 1) next.push(group[0]);
        else {
          const sum = inner({ inputs: group as unknown as tf.NamedTensorInfoMap, backend, attrs }) as tf.TensorInfo;
          owned.push(sum);
          next.push(sum);
        }
      }
      terms = next;
    }
    const result = inner({ inputs: terms as unknown as tf.NamedTensorInfoMap, backend, attrs }) as tf.TensorInfo;
    for (const t of owned) (backend as tf.KernelBackend).disposeData(t.dataId);
    return result;
  };
  tf.unregisterKernel("AddN", "webgpu");
  tf.registerKernel({ kernelName: "AddN", backendName: "webgpu", kernelFunc, inner } as tf.KernelConfig);
  installedFor = maxInputs;
}
