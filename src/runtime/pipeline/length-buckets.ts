// Length-bucketed batches for sequence models. Takes examples, batch options and an epoch; gives
// that epoch's batches, each built from examples of similar history length. Why: a batch runs
// its encoder over as many columns as its longest history (sequence-input.ts trims the rest), and
// on Amazon Beauty a random batch of 256 nearly always holds one 50-item history while the mean is
// about 9 — so most of the encoder's work would be padding. Randomness is kept where it matters:
// the epoch's seeded permutation is cut into pools of `poolBatches` batches, each pool is sorted
// by length and cut into batches, and the batches of all pools are shuffled (seeded) again.
// Every example appears exactly once per epoch, and the same (seed, epoch) gives the same batches.
import { epochOrder, makeBatch, type Batch, type BatchOptions } from "../data/batching.js";
import type { Example } from "../data/split.js";
import { Rng } from "../random.js";

export function* bucketedBatches(examples: readonly Example[], options: BatchOptions, epoch: number, poolBatches = 64): Generator<Batch> {
  const { batchSize, length } = options;
  const order = epochOrder(examples.length, options.seed, epoch, options.shuffle ?? true);
  const pool = batchSize * poolBatches;
  const cuts: Int32Array[] = [];
  for (let start = 0; start < order.length; start += pool) {
    const ids = Array.from(order.subarray(start, Math.min(order.length, start + pool)));
    // Stable sort by used length (longer histories are truncated to T anyway).
    ids.sort((a, b) => Math.min(examples[a].history.length, length) - Math.min(examples[b].history.length, length));
    for (let k = 0; k < ids.length; k += batchSize) cuts.push(Int32Array.from(ids.slice(k, k + batchSize)));
  }
  // A short batch (the end of the last pool) is dropped only when asked, as in batches().
  const kept = options.dropLast ? cuts.filter((c) => c.length === batchSize) : cuts;
  new Rng(options.seed).fork(`length-buckets/${epoch}`).shuffle(kept);
  for (const indices of kept) yield makeBatch(examples, indices, length);
}
