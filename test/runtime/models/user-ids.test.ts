// The user side of the id-based models: table rows (cold users → the shared row 0), the (user, item)
// training pairs, and BPR's uniform negatives.
import { describe, expect, it } from "vitest";
import { Rng } from "../../../src/runtime/random.js";
import { UserRows, uniformNegatives, userItemPairs } from "../../../src/runtime/models/user-ids.js";

const ex = (user: number, history: number[], target: number) => ({ user, history: Int32Array.from(history), target });

describe("UserRows", () => {
  it("gives trained users their own row and every other user the out-of-vocabulary row 0", () => {
    const rows = new UserRows([ex(0, [], 3), ex(2, [1], 2)], 4);
    expect(rows.size).toBe(5);
    expect(Array.from(rows.of([0, 1, 2, 3, -1, 9]))).toEqual([1, 0, 3, 0, 0, 0]);
    expect(rows.known(2)).toBe(true);
    expect(rows.known(1)).toBe(false);
  });
});

describe("userItemPairs", () => {
  it("lists each distinct (user, item) of histories and targets once, in order of first mention", () => {
    const pairs = userItemPairs([ex(0, [5], 6), ex(0, [5, 6], 7), ex(1, [], 5), ex(0, [0, 7], 5)]);
    expect(pairs.map((p) => [p.user, p.target])).toEqual([
      [0, 5],
      [0, 6],
      [0, 7],
      [1, 5],
    ]);
    expect(pairs.every((p) => p.history.length === 0)).toBe(true);
  });
});

describe("uniformNegatives", () => {
  it("draws items in 1..N, never a row's own target, the same for the same seed", () => {
    const targets = Int32Array.from([1, 2, 3, 1]);
    const a = uniformNegatives(targets, 50, 3, new Rng(4));
    expect(a.length).toBe(200);
    for (let i = 0; i < a.length; i++) {
      expect(a[i]).toBeGreaterThanOrEqual(1);
      expect(a[i]).toBeLessThanOrEqual(3);
      expect(a[i]).not.toBe(targets[Math.floor(i / 50)]);
    }
    expect(Array.from(uniformNegatives(targets, 50, 3, new Rng(4)))).toEqual(Array.from(a));
  });
});
