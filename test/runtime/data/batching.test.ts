import { describe, expect, it } from "vitest";
import { batchCount, batches, epochOrder, epochs, makeBatch, padHistory, slidingTargets } from "../../../src/runtime/data/batching.js";
import type { Example } from "../../../src/runtime/data/split.js";

const ex = (user: number, history: number[], target: number): Example => ({ user, history: Int32Array.from(history), target });

describe("padHistory", () => {
  it("left-pads with 0 and keeps the most recent items", () => {
    expect(Array.from(padHistory([5, 6, 7], 5))).toEqual([0, 0, 5, 6, 7]);
    expect(Array.from(padHistory([5, 6, 7], 2))).toEqual([6, 7]);
    expect(Array.from(padHistory([], 3))).toEqual([0, 0, 0]);
    expect(Array.from(padHistory([4, 5, 6], 3))).toEqual([4, 5, 6]);
  });

  it("writes in place at an offset", () => {
    const out = new Int32Array(6).fill(9);
    padHistory([1], 3, out, 3);
    expect(Array.from(out)).toEqual([9, 9, 9, 0, 0, 1]);
  });
});

describe("batches", () => {
  const examples = Array.from({ length: 10 }, (_, k) =>
    ex(
      k,
      Array.from({ length: k }, (_, j) => j + 1),
      100 + k,
    ),
  );

  it("builds [B, T] histories, [B] targets and users in the given order", () => {
    const b = makeBatch(examples, [3, 0], 2);
    expect(b.size).toBe(2);
    expect(Array.from(b.histories)).toEqual([2, 3, 0, 0]);
    expect(Array.from(b.targets)).toEqual([103, 100]);
    expect(Array.from(b.users)).toEqual([3, 0]);
  });

  it("covers every example once per epoch, in a seeded order", () => {
    const options = { batchSize: 4, length: 3, seed: 11 };
    const all = [...batches(examples, options, 0)];
    expect(all.map((b) => b.size)).toEqual([4, 4, 2]);
    const targets = all.flatMap((b) => Array.from(b.targets)).sort((a, b) => a - b);
    expect(targets).toEqual(examples.map((e) => e.target));
    const again = [...batches(examples, options, 0)].flatMap((b) => Array.from(b.targets));
    expect(again).toEqual(all.flatMap((b) => Array.from(b.targets)));
    expect(Array.from(epochOrder(10, 11, 1))).not.toEqual(Array.from(epochOrder(10, 11, 0)));
    expect(Array.from(epochOrder(10, 12, 0))).not.toEqual(Array.from(epochOrder(10, 11, 0)));
  });

  it("keeps order without shuffling and can drop the short last batch", () => {
    const options = { batchSize: 4, length: 1, seed: 1, shuffle: false, dropLast: true };
    expect(batchCount(10, options)).toBe(2);
    expect([...batches(examples, options)].map((b) => Array.from(b.users))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
  });

  it("iterates epochs whose orders depend only on (seed, epoch)", () => {
    const options = { batchSize: 5, length: 2, seed: 3 };
    const firstTwo = [...epochs(examples, options, 2)];
    expect(firstTwo.map((e) => e.epoch)).toEqual([0, 1]);
    const order1 = [...firstTwo[1].batches].flatMap((b) => Array.from(b.users));
    expect(order1).toEqual(Array.from(epochOrder(10, 3, 1)));
    // Re-iterating an epoch gives the same batches.
    expect([...firstTwo[1].batches].flatMap((b) => Array.from(b.users))).toEqual(order1);
  });
});

describe("slidingTargets", () => {
  it("makes every prefix of a training sequence predict its next item", () => {
    const out = slidingTargets([ex(4, [1, 2, 3], 9), ex(5, [], 7)]);
    expect(out.map((e) => ({ user: e.user, history: Array.from(e.history), target: e.target }))).toEqual([
      { user: 4, history: [1], target: 2 },
      { user: 4, history: [1, 2], target: 3 },
      { user: 4, history: [1, 2, 3], target: 9 },
    ]);
    expect(slidingTargets([ex(4, [1, 2, 3], 9)], 2).map((e) => e.target)).toEqual([3, 9]);
  });
});
