// Test helper for the backend tests: runs the same computation on the `cpu` and `wasm` backends
// from the same input data, and gives plain arrays to compare. Not a test file itself.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { expect } from "vitest";
import { Rng } from "../../../src/runtime/random.js";
import { expectTensorsClose } from "../../helpers/tf.js";

export interface HostTensor {
  values: number[];
  shape: number[];
  dtype: "float32" | "int32";
}

/** Gaussian float32 data of the given shape, reproducible from the seed. */
export function randomHost(shape: number[], seed: number): HostTensor {
  const rng = new Rng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return { values: Array.from({ length: size }, () => rng.normal()), shape, dtype: "float32" };
}

export function intHost(values: number[], shape = [values.length]): HostTensor {
  return { values, shape, dtype: "int32" };
}

/** Switches to `backend`, builds the inputs there, runs f in a tidy and copies its outputs back. */
export async function runOn(backend: "cpu" | "wasm", inputs: HostTensor[], f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[]): Promise<HostTensor[]> {
  await tf.setBackend(backend);
  const xs = inputs.map((h) => tf.tensor(h.values, h.shape, h.dtype));
  try {
    const outs = tf.tidy(() => {
      const r = f(...xs);
      return Array.isArray(r) ? r : [r];
    });
    const host = outs.map((t) => ({
      values: Array.from(t.dataSync()),
      shape: t.shape.slice(),
      dtype: t.dtype as "float32" | "int32",
    }));
    tf.dispose(outs);
    return host;
  } finally {
    tf.dispose(xs);
  }
}

/** Runs f on both backends and returns [wasm, cpu] results. */
export async function onBoth(inputs: HostTensor[], f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[]): Promise<[HostTensor[], HostTensor[]]> {
  const wasm = await runOn("wasm", inputs, f);
  const cpu = await runOn("cpu", inputs, f);
  return [wasm, cpu];
}

/** Asserts two result lists agree in shape and, element-wise, within tolerance (relative for
 * magnitudes above 1). */
export function expectSameResults(actual: HostTensor[], expected: HostTensor[], tolerance = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    expect(a.shape).toEqual(expected[i].shape);
    expectTensorsClose(a.values, expected[i].values, tolerance);
  });
}
