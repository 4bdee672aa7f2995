// Gradients of a loss over one batch, optionally computed in micro-batches and accumulated.
// Takes the variables to differentiate, a loss function and a batch split into parts; gives the
// size-weighted mean of the parts' gradients and losses. For a loss that is a mean over examples,
// that equals the full batch's gradient while only one part's activations are alive at a time.
// The loss is read back once, asynchronously, after the last part: a GPU backend has no
// synchronous read, and one read per step keeps the device busy between parts.
import * as tf from "@tensorflow/tfjs-core";

/** A part of a batch and its share of the whole (shares sum to 1). */
export interface WeightedPart<B> {
  batch: B;
  weight: number;
}

export interface BatchGradients {
  /** Gradients keyed by the caller's variable names; tensors the caller owns. */
  grads: Map<string, tf.Tensor>;
  /** Weighted mean of the parts' losses. */
  loss: number;
}

/**
 * Runs `lossFn(part, index)` under tf.variableGrads over `vars` (name → variable) for each part,
 * and returns Σ weight·gradient and Σ weight·loss. A variable the loss does not reach in any part
 * gets no entry. Intermediate tensors are disposed as soon as they are folded in.
 */
export async function accumulateGradients<B>(
  vars: Map<string, tf.Variable>,
  parts: readonly WeightedPart<B>[],
  lossFn: (batch: B, index: number) => tf.Scalar,
): Promise<BatchGradients> {
  if (parts.length === 0) throw new Error("accumulateGradients: no parts");
  const list = [...vars.values()];
  // tf.variableGrads keys gradients by the engine's variable name; map them back to ours.
  const keyOf = new Map<string, string>();
  for (const [key, v] of vars) keyOf.set(v.name, key);

  const acc = new Map<string, tf.Tensor>();
  let loss: tf.Scalar | undefined;
  try {
    parts.forEach((part, index) => {
      const { value, grads } = tf.variableGrads(() => lossFn(part.batch, index), list);
      const previousLoss = loss;
      loss = tf.tidy(() => (previousLoss === undefined ? tf.mul(value, part.weight) : tf.add(previousLoss, tf.mul(value, part.weight))) as tf.Scalar);
      previousLoss?.dispose();
      value.dispose();
      for (const [tfName, g] of Object.entries(grads)) {
        if (g === null) continue;
        const key = keyOf.get(tfName) ?? tfName;
        const previous = acc.get(key);
        if (parts.length === 1) {
          acc.set(key, g);
          continue;
        }
        acc.set(
          key,
          tf.tidy(() => (previous === undefined ? tf.mul(g, part.weight) : tf.add(previous, tf.mul(g, part.weight)))),
        );
        previous?.dispose();
        g.dispose();
      }
    });
    const total = loss as tf.Scalar;
    return { grads: acc, loss: (await total.data())[0] };
  } catch (e) {
    for (const g of acc.values()) g.dispose();
    throw e;
  } finally {
    loss?.dispose();
  }
}

/**
 * Splits a batch into `n` parts of near-equal size along the leading (example) axis. A batch is a
 * tensor, an array or typed array of examples, or a plain object (nested as deep as needed) of
 * those; other values (numbers, strings) are shared by every part. Tensor slices are new tensors.
 */
export function splitBatch<B>(batch: B, n: number): B[] {
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`splitBatch: number of parts must be an integer >= 1, got ${n}`);
  const size = leadingSize(batch);
  if (size === undefined) throw new Error("splitBatch: the batch holds no tensor or array to split");
  const parts = Math.min(n, size);
  const out: B[] = [];
  for (let i = 0; i < parts; i++) {
    const begin = Math.floor((i * size) / parts);
    const end = Math.floor(((i + 1) * size) / parts);
    out.push(sliceValue(batch, begin, end, size) as B);
  }
  return out;
}

/**
 * The number of examples in a batch: the leading dimension of its first tensor or array
 * (depth-first, object key order); undefined when it holds none.
 */
export function leadingSize(batch: unknown): number | undefined {
  if (batch instanceof tf.Tensor) {
    if (batch.rank === 0) throw new Error("a batch tensor must have a leading (example) axis; got a scalar");
    return batch.shape[0];
  }
  if (Array.isArray(batch) || ArrayBuffer.isView(batch)) return (batch as ArrayLike<unknown>).length;
  if (isPlainObject(batch)) {
    for (const v of Object.values(batch)) {
      const s = leadingSize(v);
      if (s !== undefined) return s;
    }
  }
  return undefined;
}

function sliceValue(value: unknown, begin: number, end: number, size: number): unknown {
  if (value instanceof tf.Tensor) {
    checkSize(value.shape[0], size);
    return tf.slice(value, [begin], [end - begin]);
  }
  if (Array.isArray(value)) {
    checkSize(value.length, size);
    return value.slice(begin, end);
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const typed = value as unknown as { length: number; slice(b: number, e: number): unknown };
    checkSize(typed.length, size);
    return typed.slice(begin, end);
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = sliceValue(v, begin, end, size);
    return out;
  }
  return value;
}

function checkSize(actual: number, expected: number): void {
  if (actual !== expected) {
    throw new Error(`splitBatch: batch fields disagree on the number of examples (${actual} vs ${expected})`);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
