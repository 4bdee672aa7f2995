import { describe, expect, it } from "vitest";
import { PopularityBaseline } from "../../../src/runtime/eval/popularity-baseline.js";

describe("PopularityBaseline", () => {
  // The pad 0 has the highest count but must never be ranked; items 2 and 4 tie.
  const counts = [100, 3, 8, 1, 8, 0];
  const baseline = new PopularityBaseline(counts);

  it("orders items by training count, ties by lower id, without the pad", () => {
    expect(Array.from(baseline.order)).toEqual([2, 4, 1, 3, 5]);
    expect(Array.from(baseline.rank(3))).toEqual([2, 4, 1]);
  });

  it("skips a user's history", () => {
    expect(Array.from(baseline.rank(3, [4, 1]))).toEqual([2, 3, 5]);
    expect(Array.from(baseline.rank(10, [2, 4, 1, 3]))).toEqual([5]);
  });

  it("ranks a range of users with per-user exclusions", () => {
    const lists = baseline.rankUsers(2, 2, [[2], [4], [1]], 1);
    expect(lists.map((l) => Array.from(l))).toEqual([
      [2, 1],
      [2, 4],
    ]);
  });
});
