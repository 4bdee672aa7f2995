// Registers kernels that the native addon serves on the wasm backend. Takes a kernel name, the
// addon (or undefined) and a factory; registers the factory's kernel for that addon, or removes the
// kernel when no addon is given. Idempotent per addon, so patching twice costs nothing.
import * as tf from "@tensorflow/tfjs-core";
import type { NativeBlas } from "./native-blas.js";

type AddonKernelConfig = tf.KernelConfig & { blas?: NativeBlas };

export function useAddonKernel(name: string, blas: NativeBlas | undefined, make: (blas: NativeBlas) => tf.KernelFunc): void {
  const current = tf.getKernel(name, "wasm") as AddonKernelConfig | undefined;
  if (current?.blas === blas) return;
  if (current !== undefined) tf.unregisterKernel(name, "wasm");
  if (blas !== undefined) tf.registerKernel({ kernelName: name, backendName: "wasm", kernelFunc: make(blas), blas } as AddonKernelConfig);
}

/** True when the current backend has the kernel `name`. */
export function backendHasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}
