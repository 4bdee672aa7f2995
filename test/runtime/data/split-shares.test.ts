// The per-user share splits (split-shares.ts): how many items each user holds out, which ones
// (the most recent for `ratio`, a seeded draw for `random`), and what each example's history and
// targets are. Hand-made sequences whose item ids say their position.
import { describe, expect, it } from "vitest";
import { buildInteractions, type InteractionStore } from "../../../src/runtime/data/interactions.js";
import { heldOutCounts, randomSplit, ratioSplit } from "../../../src/runtime/data/split-shares.js";
import { makeSplit } from "../../../src/runtime/data/make-split.js";
import type { Example } from "../../../src/runtime/data/split.js";

/** A store whose users have the given sequences of item ids (ids "1".."N" → indices 1..N), in file order. */
function storeOf(seqs: number[][]): InteractionStore {
  const users: string[] = [];
  const items: string[] = [];
  seqs.forEach((seq, u) => seq.forEach((i) => (users.push(`u${u}`), items.push(String(i)))));
  const max = Math.max(...seqs.flat());
  return buildInteractions({ users, items }, { itemIds: Array.from({ length: max }, (_, k) => String(k + 1)) });
}

const plain = (list: Example[]) =>
  list.map((e) => ({ user: e.user, history: Array.from(e.history), target: e.target, ...(e.targets ? { targets: Array.from(e.targets) } : {}) }));

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);

describe("heldOutCounts", () => {
  it("floors n · share, gives a small positive share one item while training keeps one", () => {
    const shares = { valid: 0.1, test: 0.1 };
    expect(heldOutCounts(1, shares)).toEqual({ valid: 0, test: 0 });
    expect(heldOutCounts(2, shares)).toEqual({ valid: 0, test: 1 });
    expect(heldOutCounts(3, shares)).toEqual({ valid: 1, test: 1 });
    expect(heldOutCounts(10, shares)).toEqual({ valid: 1, test: 1 });
    expect(heldOutCounts(25, shares)).toEqual({ valid: 2, test: 2 });
    expect(heldOutCounts(10, { valid: 0, test: 0.2 })).toEqual({ valid: 0, test: 2 });
    // 0.29 · 100 is 28.999… in floating point; it still counts 29.
    expect(heldOutCounts(100, { valid: 0.29, test: 0.7 })).toEqual({ valid: 29, test: 70 });
    // Shares that would take everything leave training one item, validation giving way first.
    expect(heldOutCounts(4, { valid: 0.45, test: 0.5 })).toEqual({ valid: 1, test: 2 });
    expect(heldOutCounts(2, { valid: 0.45, test: 0.5 })).toEqual({ valid: 0, test: 1 });
  });
});

describe("ratioSplit", () => {
  it("holds out each user's most recent items: test last, validation before it, several targets each", () => {
    const split = ratioSplit(storeOf([range(1, 10), [11, 12], [13]]), { valid: 0.1, test: 0.2 });
    expect(plain(split.train)).toEqual([
      { user: 0, history: range(1, 6), target: 7 },
      { user: 1, history: [], target: 11 },
      { user: 2, history: [], target: 13 },
    ]);
    expect(plain(split.validation)).toEqual([{ user: 0, history: range(1, 7), target: 8, targets: [8] }]);
    // The test history is training + validation items. User 1 (2 items): ⌊0.4⌋ = 0 test items, raised
    // to one; validation stays at none so that training keeps one. User 2 (1 item) is training only.
    expect(plain(split.test)).toEqual([
      { user: 0, history: range(1, 8), target: 9, targets: [9, 10] },
      { user: 1, history: [11], target: 12, targets: [12] },
    ]);
  });

  it("refuses shares that sum to 1 or more", () => {
    expect(() => ratioSplit(storeOf([[1, 2]]), { valid: 0.5, test: 0.5 })).toThrow(RangeError);
  });
});

describe("randomSplit", () => {
  const store = storeOf([range(1, 20), range(21, 30), [31, 32, 33]]);
  const shares = { valid: 0.2, test: 0.3 };

  it("partitions each user's items into train, validation and test by the counts, each in time order", () => {
    const split = randomSplit(store, shares, 7);
    const byUser = (list: Example[], u: number) => list.filter((e) => e.user === u);
    for (const [u, seq] of [range(1, 20), range(21, 30), [31, 32, 33]].entries()) {
      const train = byUser(split.train, u).flatMap((e) => [...e.history, e.target]);
      const valid = byUser(split.validation, u).flatMap((e) => Array.from(e.targets!));
      const test = byUser(split.test, u).flatMap((e) => Array.from(e.targets!));
      const counts = heldOutCounts(seq.length, shares);
      expect([valid.length, test.length]).toEqual([counts.valid, counts.test]);
      expect([...train, ...valid, ...test].sort((a, b) => a - b)).toEqual(seq);
      for (const group of [train, valid, test]) expect(group).toEqual([...group].sort((a, b) => a - b));
      // Validation reads the training items; test reads training and validation items.
      const v = byUser(split.validation, u)[0];
      if (v) expect(Array.from(v.history)).toEqual(train);
      expect(Array.from(byUser(split.test, u)[0].history)).toEqual([...train, ...valid].sort((a, b) => a - b));
    }
  });

  it("is seeded: the same seed gives the same split, another seed another one", () => {
    const a = plain(randomSplit(store, shares, 7).test);
    expect(plain(randomSplit(store, shares, 7).test)).toEqual(a);
    expect(plain(randomSplit(store, shares, 8).test)).not.toEqual(a);
    // Not simply the most recent items (what `ratio` would take) for a 20-item user.
    expect(a[0].targets).not.toEqual(Int32Array.from(range(15, 20)));
  });

  it("is what makeSplit gives for `random`, with the seed and shares passed on", () => {
    const direct = plain(randomSplit(store, shares, 3).validation);
    expect(plain(makeSplit(store, { split: "random", window: 30, stride: 5, validShare: 0.2, testShare: 0.3, seed: 3 }).validation)).toEqual(direct);
  });
});
