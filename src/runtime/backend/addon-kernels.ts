// Registers kernels that the native addon serves on the wasm backend. Takes a kernel name, the
// addon (or undefined) and a factory; registers the factory's kernel for that addon, or removes the
// kernel when no addon is given. Idempotent per addon, so patching twice costs nothing. Also the
// float32 heap view every such kernel hands the addon, and the kernel of an elementwise pass.
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import type { NativeBlas } from "./native-blas.js";

type AddonKernelConfig = tf.KernelConfig & { blas?: NativeBlas };

export function useAddonKernel(name: string, blas: NativeBlas | undefined, make: (blas: NativeBlas) => tf.KernelFunc): void {
  const current = tf.getKernel(name, "wasm") as AddonKernelConfig | undefined;
  if (current?.blas === blas) return;
  if (current !== undefined) tf.unregisterKernel(name, "wasm");
  if (blas !== undefined) tf.registerKernel({ kernelName: name, backendName: "wasm", kernelFunc: make(blas), blas } as AddonKernelConfig);
}

/** A float32 tensor's data as a view of the wasm heap (take it after the kernel's last makeOutput:
 * allocating may grow the heap and detach older views). */
export function heapFloats(backend: BackendWasm, t: tf.TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}

/** True when the current backend has the kernel `name`. */
export function backendHasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

/**
 * A kernel whose float32 output has its first input's shape, filled by `run` from heap views of the
 * inputs named (in that order) and then of the output; an empty output is returned untouched.
 */
export function elementwiseKernel(inputs: readonly string[], run: (views: Float32Array[]) => void): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const tensors = inputs.map((name) => args.inputs[name] as tf.TensorInfo);
    const out = backend.makeOutput(tensors[0].shape, "float32");
    // Views after makeOutput: allocation may grow the heap and detach older views.
    if (tf.util.sizeFromShape(tensors[0].shape) > 0) run([...tensors.map((t) => heapFloats(backend, t)), heapFloats(backend, out)]);
    return out;
  };
}
