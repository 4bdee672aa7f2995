// The memory budget of one training pass (one micro-batch) on the current backend. Takes the
// default budget (sized for wasm's 4 GiB heap); gives it unchanged, or on webgpu no more than the
// device's largest storage-buffer binding. Why: a tensor over that binding reads back silently
// wrong, and the step estimate the planner divides by this budget bounds every tensor of the step,
// so keeping each micro-batch's whole estimate under the binding keeps every tensor under it.
import * as tf from "@tensorflow/tfjs-core";
import { webGpuLimits } from "./webgpu-backend.js";

export function passMemoryBudget(defaultBudget: number): number {
  const limits = tf.getBackend() === "webgpu" ? webGpuLimits() : undefined;
  if (limits === undefined) return defaultBudget;
  return Math.min(defaultBudget, limits.maxStorageBufferBindingSize);
}
