// Embedding lookups. Takes integer ids of any shape and a scope holding a learned table; gives
// vectors [...ids.shape, dim]. Three kinds: plain ids (optionally zeroing the padding id 0),
// hashed ids (any id range folded into a fixed number of buckets), and learned positions.
// Lookups use tf.gather, whose gradient (UnsortedSegmentSum) the runtime backend supplies on wasm.
import * as tf from "@tensorflow/tfjs-core";
import { normal, type Init } from "./initializers.js";
import type { ParamStore } from "./params.js";

export interface EmbeddingOptions {
  /** Multiply the vector of id 0 by zero so padding contributes nothing (default false). */
  maskPadding?: boolean;
  /** Table initialiser (default normal, std 0.05). */
  init?: Init;
}

/** Looks ids up in "table" [vocab, dim]. */
export function embedding(ids: tf.Tensor, params: ParamStore, vocab: number, dim: number, options: EmbeddingOptions = {}): tf.Tensor {
  const table = params.get("table", [vocab, dim], options.init ?? normal(0.05));
  return lookup(table, ids, options.maskPadding === true);
}

function lookup(table: tf.Tensor, ids: tf.Tensor, maskPadding: boolean): tf.Tensor {
  return tf.tidy(() => {
    const int = ids.dtype === "int32" ? ids : tf.cast(ids, "int32");
    const vectors = tf.gather(table, int);
    if (!maskPadding) return vectors;
    // A multiplicative mask rather than a zeroed table row: the row may still be trained by
    // other uses, and the padding position gets an exactly zero gradient.
    const keep = tf.expandDims(tf.cast(tf.notEqual(int, 0), "float32"), -1);
    return tf.mul(vectors, keep);
  });
}

// ---------------------------------------------------------------------------------------------
// Hashed ids.
//
// bucket(id) = ((a·id + b) mod P) mod buckets, with P = 2^31 − 1 (a Mersenne prime) and
// a ∈ [1, P), b ∈ [0, P): one member of the Carter–Wegman universal family, the same on every
// machine and backend. Ids must be integers in [0, 2^31). With maskPadding, id 0 keeps mapping to
// a zero vector whichever bucket it hashes to.

const P = 2147483647;
/** Default multiplier and offset (arbitrary fixed constants below P). */
export const HASH_A = 1103515245;
export const HASH_B = 12345;

/** (x · y) mod P exactly for 0 ≤ x, y < 2^31, splitting y into 16-bit halves to stay below 2^53. */
function mulModP(x: number, y: number): number {
  const hi = Math.floor(y / 65536);
  const lo = y % 65536;
  return (((x * hi) % P) * 65536 + x * lo) % P;
}

/** The bucket of one id. */
export function hashBucket(id: number, buckets: number, a = HASH_A, b = HASH_B): number {
  if (!Number.isInteger(id) || id < 0 || id > P) throw new Error(`hashBucket: bad id ${id}`);
  return ((mulModP(a, id) + b) % P) % buckets;
}

/** Buckets for many ids at once. */
export function hashIds(ids: ArrayLike<number>, buckets: number, a = HASH_A, b = HASH_B): Int32Array {
  const out = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) out[i] = hashBucket(ids[i], buckets, a, b);
  return out;
}

export interface HashedEmbeddingOptions extends EmbeddingOptions {
  buckets: number;
  dim: number;
  /** Shape of the ids when they come as a flat Int32Array (default [ids.length]). */
  shape?: readonly number[];
  a?: number;
  b?: number;
}

/**
 * Hashes ids into `buckets` rows of "table" [buckets, dim] and looks them up. The hash runs in
 * JavaScript (exact integer arithmetic no backend offers), so the ids come on the host: a tensor
 * would need a synchronous read back, which a GPU backend does not have.
 */
export function hashedEmbedding(ids: Int32Array, params: ParamStore, options: HashedEmbeddingOptions): tf.Tensor {
  const idShape = [...(options.shape ?? [ids.length])];
  const table = params.get("table", [options.buckets, options.dim], options.init ?? normal(0.05));
  return tf.tidy(() => {
    const buckets = tf.tensor(hashIds(ids, options.buckets, options.a, options.b), idShape, "int32");
    const vectors = tf.gather(table, buckets);
    if (options.maskPadding !== true) return vectors;
    const keep = new Float32Array(ids.length);
    for (let i = 0; i < ids.length; i++) keep[i] = ids[i] === 0 ? 0 : 1;
    return tf.mul(vectors, tf.tensor(keep, [...idShape, 1], "float32"));
  });
}

// ---------------------------------------------------------------------------------------------

/** Learned positions: rows 0..length−1 of "table" [maxLen, dim], shape [length, dim]. */
export function positionalEmbedding(length: number, params: ParamStore, maxLen: number, dim: number, init: Init = normal(0.05)): tf.Tensor2D {
  if (length > maxLen) throw new Error(`positionalEmbedding: length ${length} > maxLen ${maxLen}`);
  const table = params.get("table", [maxLen, dim], init);
  // tf.slice, not stridedSlice: slice has a gradient.
  return tf.slice(table as tf.Tensor2D, [0, 0], [length, dim]);
}
