import { describe, expect, it } from "vitest";
import { batches } from "../../../src/runtime/data/batching.js";
import type { Example } from "../../../src/runtime/data/split.js";
import { bucketedBatches } from "../../../src/runtime/pipeline/length-buckets.js";
import { Rng } from "../../../src/runtime/random.js";

// 1,000 examples shaped like Amazon data: mostly 1–10 items, 5% of 40; example i's target is i, so
// an epoch's coverage can be read off the targets.
const rng = new Rng(5);
const lengthOf = () => (rng.next() < 0.05 ? 40 : 1 + rng.int(10));
const examples: Example[] = Array.from({ length: 1000 }, (_, i) => ({ user: i, history: new Int32Array(lengthOf()).fill(1), target: i }));
const options = { batchSize: 32, length: 20, seed: 3 };
const usedLength = (h: Int32Array, size: number) => {
  let longest = 0;
  for (let b = 0; b < size; b++) {
    const row = h.subarray(b * 20, (b + 1) * 20);
    longest = Math.max(longest, row.length - row.findIndex((x) => x !== 0));
  }
  return longest;
};

describe("bucketedBatches", () => {
  it("covers every example exactly once per epoch, deterministically", () => {
    const targets = [...bucketedBatches(examples, options, 2, 8)].flatMap((b) => Array.from(b.targets));
    expect(targets.slice().sort((a, b) => a - b)).toEqual(examples.map((e) => e.target));
    const again = [...bucketedBatches(examples, options, 2, 8)].flatMap((b) => Array.from(b.targets));
    expect(again).toEqual(targets);
    const other = [...bucketedBatches(examples, options, 3, 8)].flatMap((b) => Array.from(b.targets));
    expect(other).not.toEqual(targets);
  });

  it("makes batches far shorter than random ones", () => {
    const work = (source: Iterable<{ histories: Int32Array; size: number }>) => {
      let total = 0;
      for (const b of source) total += b.size * usedLength(b.histories, b.size);
      return total;
    };
    const bucketed = work(bucketedBatches(examples, options, 0, 8));
    const random = work(batches(examples, options, 0));
    // Most random batches of 32 hold a long history (1 − 0.95^32 ≈ 81%); sorted pools keep the
    // long ones together.
    expect(bucketed).toBeLessThan(0.5 * random);
  });
});
