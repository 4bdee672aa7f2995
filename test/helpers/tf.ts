// Test helpers for runtime code: a backend for the test file, closeness checks and a leak check.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { expect } from "vitest";

/** Switches tfjs to the reference `cpu` backend (call in beforeAll). */
export async function useCpuBackend(): Promise<void> {
  await tf.setBackend("cpu");
  await tf.ready();
}

/** Asserts that two tensors (or arrays) have the same shape and agree element-wise within tolerance. */
export function expectTensorsClose(actual: tf.Tensor | number[] | Float32Array, expected: tf.Tensor | number[] | Float32Array, tolerance = 1e-5): void {
  if (actual instanceof tf.Tensor && expected instanceof tf.Tensor) {
    expect(actual.shape).toEqual(expected.shape);
  }
  const a = actual instanceof tf.Tensor ? Array.from(actual.dataSync()) : Array.from(actual);
  const e = expected instanceof tf.Tensor ? Array.from(expected.dataSync()) : Array.from(expected);
  expect(a.length).toBe(e.length);
  for (let i = 0; i < a.length; i++) {
    const scale = Math.max(1, Math.abs(e[i]));
    if (!(Math.abs(a[i] - e[i]) <= tolerance * scale)) {
      throw new Error(`element ${i}: got ${a[i]}, expected ${e[i]} (tolerance ${tolerance})`);
    }
  }
}

/** Runs fn and asserts it leaves no tensors behind. */
export async function expectNoLeakedTensors(fn: () => unknown | Promise<unknown>): Promise<void> {
  const before = tf.memory().numTensors;
  await fn();
  expect(tf.memory().numTensors).toBe(before);
}
