import { describe, expect, it } from "vitest";
import { countItems, popularitySlices, userSliceMasks } from "../../../src/runtime/eval/slices.js";

const ids = (mask: Uint8Array) => Array.from(mask.keys()).filter((i) => mask[i] !== 0);

describe("countItems", () => {
  it("counts training occurrences per item id", () => {
    expect(Array.from(countItems([1, 2, 2, 5, 5, 5], 6))).toEqual([0, 1, 2, 0, 0, 3]);
  });

  it("rejects ids outside the catalogue", () => {
    expect(() => countItems([1, 6], 6)).toThrow(/outside/);
    expect(() => countItems([1.5], 6)).toThrow(/outside/);
  });
});

describe("popularitySlices", () => {
  // Ten items 1..10 with counts; items 9 and 10 never occur in training.
  const counts = [0, 5, 50, 1, 7, 7, 2, 3, 0, 0, 0].slice(0, 11);

  it("puts the most frequent 20% in head, the rest in tail, unseen items in cold", () => {
    const s = popularitySlices(counts);
    expect(s.names).toEqual(["head", "tail", "cold"]);
    // Order by count: 2 (50), 4 (7), 5 (7), 1 (5), ... → head = {2, 4}: the 4–5 tie goes to id 4.
    expect(ids(s.masks.head)).toEqual([2, 4]);
    expect(ids(s.masks.tail)).toEqual([1, 3, 5, 6, 7, 8, 9, 10]);
    expect(ids(s.masks.cold)).toEqual([8, 9, 10]);
    expect(s.masks.head[0] + s.masks.tail[0] + s.masks.cold[0]).toBe(0);
  });

  it("supports a torso and a custom head fraction", () => {
    const s = popularitySlices(counts, { headFraction: 0.1, torsoFraction: 0.3 });
    expect(s.names).toEqual(["head", "torso", "tail", "cold"]);
    expect(ids(s.masks.head)).toEqual([2]);
    expect(ids(s.masks.torso)).toEqual([1, 4, 5]);
    expect(ids(s.masks.tail)).toEqual([3, 6, 7, 8, 9, 10]);
  });

  it("rejects fractions that do not fit", () => {
    expect(() => popularitySlices(counts, { headFraction: 0.8, torsoFraction: 0.3 })).toThrow(/fractions/);
  });
});

describe("userSliceMasks", () => {
  it("assigns users by their target item and skips users without a target", () => {
    const s = popularitySlices([0, 10, 1, 0, 0, 0]); // 5 items → head = {1}, cold = {3, 4, 5}
    const users = userSliceMasks([1, 2, 3, 0], s);
    expect(users.names).toEqual(["all", "head", "tail", "cold"]);
    expect(Array.from(users.masks.all)).toEqual([1, 1, 1, 0]);
    expect(Array.from(users.masks.head)).toEqual([1, 0, 0, 0]);
    expect(Array.from(users.masks.tail)).toEqual([0, 1, 1, 0]);
    expect(Array.from(users.masks.cold)).toEqual([0, 0, 1, 0]);
  });
});
