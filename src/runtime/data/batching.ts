// Turning examples into model inputs. Takes a list of examples, a history length, a batch size
// and a seed; gives Int32Array batches — histories [B, T] row-major, left-padded with PAD_ITEM and
// truncated to the most recent T items, targets [B], users [B] — in a seeded order that is the
// same for the same (seed, epoch) whatever was consumed before. Also expands training sequences
// into sliding-target examples for sequence models.

import { Rng } from "../random.js";
import { PAD_ITEM } from "./interactions.js";
import type { Example } from "./split.js";

/**
 * The last `length` items of a history, left-padded with PAD_ITEM (0) when shorter:
 * padHistory([5, 6, 7], 5) = [0, 0, 5, 6, 7]; padHistory([5, 6, 7], 2) = [6, 7].
 * Writes into `out` at `offset` when given (for filling a batch in place).
 */
export function padHistory(items: ArrayLike<number>, length: number, out?: Int32Array, offset = 0): Int32Array {
  const target = out ?? new Int32Array(length);
  const take = Math.min(items.length, length);
  const pad = length - take;
  target.fill(PAD_ITEM, offset, offset + pad);
  const from = items.length - take;
  for (let t = 0; t < take; t++) target[offset + pad + t] = items[from + t];
  return target;
}

export interface Batch {
  /** Number of examples B. */
  readonly size: number;
  /** History length T. */
  readonly length: number;
  readonly users: Int32Array;
  /** [B, T] row-major: example b's history is histories[b*T .. (b+1)*T), most recent item last. */
  readonly histories: Int32Array;
  readonly targets: Int32Array;
}

/** A batch of the examples at `indices`, in that order. */
export function makeBatch(examples: readonly Example[], indices: ArrayLike<number>, length: number): Batch {
  const size = indices.length;
  const users = new Int32Array(size);
  const histories = new Int32Array(size * length);
  const targets = new Int32Array(size);
  for (let b = 0; b < size; b++) {
    const ex = examples[indices[b]];
    users[b] = ex.user;
    targets[b] = ex.target;
    padHistory(ex.history, length, histories, b * length);
  }
  return { size, length, users, histories, targets };
}

export interface BatchOptions {
  readonly batchSize: number;
  /** History length T. */
  readonly length: number;
  readonly seed: number;
  /** Shuffle each epoch (default true); false keeps example order. */
  readonly shuffle?: boolean;
  /** Drop a last batch smaller than batchSize (default false). */
  readonly dropLast?: boolean;
}

/** The order of examples in an epoch: a permutation of 0..n-1 drawn from (seed, epoch) alone. */
export function epochOrder(n: number, seed: number, epoch: number, shuffle = true): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (shuffle) new Rng(seed).fork(`epoch ${epoch}`).shuffle(order);
  return order;
}

/** Number of batches in one epoch. */
export function batchCount(n: number, options: BatchOptions): number {
  return options.dropLast ? Math.floor(n / options.batchSize) : Math.ceil(n / options.batchSize);
}

/** The batches of one epoch, built lazily. */
export function* batches(examples: readonly Example[], options: BatchOptions, epoch = 0): Generator<Batch> {
  const { batchSize, length } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  if (!Number.isInteger(length) || length < 1) throw new RangeError(`length must be a positive integer, got ${length}`);
  const order = epochOrder(examples.length, options.seed, epoch, options.shuffle ?? true);
  const count = batchCount(examples.length, options);
  for (let k = 0; k < count; k++) {
    yield makeBatch(examples, order.subarray(k * batchSize, Math.min((k + 1) * batchSize, order.length)), length);
  }
}

export interface Epoch {
  readonly epoch: number;
  readonly batches: Iterable<Batch>;
}

/** Epochs 0, 1, … (`count` of them, or without end), each a lazily built iterable of batches. */
export function* epochs(examples: readonly Example[], options: BatchOptions, count = Infinity): Generator<Epoch> {
  for (let epoch = 0; epoch < count; epoch++) {
    yield { epoch, batches: { [Symbol.iterator]: () => batches(examples, options, epoch) } };
  }
}

/**
 * Sliding targets for sequence models: the training sequence history + target of each example,
 * s_1 … s_n, becomes n − 1 examples (s_1 → s_2, s_1 s_2 → s_3, …, s_1 … s_{n-1} → s_n); prefixes
 * shorter than `minHistory` (default 1) are left out. Histories are views into one copy per
 * sequence.
 */
export function slidingTargets(examples: readonly Example[], minHistory = 1): Example[] {
  const out: Example[] = [];
  for (const ex of examples) {
    const seq = new Int32Array(ex.history.length + 1);
    seq.set(ex.history);
    seq[ex.history.length] = ex.target;
    for (let t = Math.max(minHistory, 0); t < seq.length; t++) {
      out.push({ user: ex.user, history: seq.subarray(0, t), target: seq[t] });
    }
  }
  return out;
}
