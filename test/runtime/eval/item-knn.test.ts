// Item-kNN against similarities and scores worked out by hand on a three-user catalogue.
import { describe, expect, it } from "vitest";
import { ItemKnnBaseline, trainingUserItems } from "../../../src/runtime/eval/item-knn.js";

// Users A = {1, 2, 3}, B = {1, 2}, C = {2, 4}: |U_1| = 2, |U_2| = 3, |U_3| = 1, |U_4| = 1.
// sim(1,2) = 2/√6, sim(1,3) = 1/√2, sim(2,3) = 1/√3, sim(2,4) = 1/√3, sim(1,4) = sim(3,4) = 0.
const USERS = [
  [1, 2, 3],
  [1, 2, 2],
  [2, 4],
];

describe("ItemKnnBaseline", () => {
  it("computes cosine similarities over users, every neighbour kept", () => {
    const knn = new ItemKnnBaseline(USERS, 4, 10);
    expect(knn.similarity(1, 2)).toBeCloseTo(2 / Math.sqrt(6), 12);
    expect(knn.similarity(2, 1)).toBeCloseTo(2 / Math.sqrt(6), 12);
    expect(knn.similarity(1, 3)).toBeCloseTo(1 / Math.sqrt(2), 12);
    expect(knn.similarity(2, 3)).toBeCloseTo(1 / Math.sqrt(3), 12);
    expect(knn.similarity(4, 2)).toBeCloseTo(1 / Math.sqrt(3), 12);
    expect(knn.similarity(1, 4)).toBe(0);
    expect(knn.similarity(1, 1)).toBe(0);
    // Neighbours most similar first: item 2's are 1 (0.816), then 3 and 4 (0.577, lower id first).
    expect(Array.from(knn.ids.subarray(knn.offsets[2], knn.offsets[3]))).toEqual([1, 3, 4]);
  });

  it("keeps only the k nearest neighbours of each item", () => {
    const knn = new ItemKnnBaseline(USERS, 4, 1);
    expect(knn.similarity(3, 1)).toBeCloseTo(1 / Math.sqrt(2), 12);
    expect(knn.similarity(3, 2)).toBe(0); // 1/√3 < 1/√2: not item 3's nearest
    expect(knn.similarity(4, 2)).toBeCloseTo(1 / Math.sqrt(3), 12);
  });

  it("scores item j by the sum of sim(i, j) over the history's distinct items", () => {
    const knn = new ItemKnnBaseline(USERS, 4, 2);
    // k = 2: item 1 keeps {2, 3}, item 3 keeps {1, 2}.
    const s = knn.scores([1, 3, 3]);
    expect(s[2]).toBeCloseTo(2 / Math.sqrt(6) + 1 / Math.sqrt(3), 12);
    expect(s[1]).toBeCloseTo(1 / Math.sqrt(2), 12);
    expect(s[3]).toBeCloseTo(1 / Math.sqrt(2), 12);
    expect(s[4]).toBe(0);
    expect(s[0]).toBe(0);
    // Ties (items 1 and 3) go to the lower id; the pad never ranks.
    expect(Array.from(knn.rank(4, [1, 3]))).toEqual([2, 1, 3, 4]);
    expect(Array.from(knn.rank(2, [1, 3], [1, 3]))).toEqual([2, 4]);
  });

  it("gathers each training user's items from their examples", () => {
    const items = trainingUserItems([
      { user: 0, history: Int32Array.from([1]), target: 2 },
      { user: 1, history: Int32Array.from([]), target: 4 },
      { user: 0, history: Int32Array.from([1, 2]), target: 3 },
    ]);
    expect(items).toEqual([[1, 2, 1, 2, 3], [4]]);
  });
});
