// scoredTopK on a hand-made score matrix: best first with the model's own scores, ties by the lower
// id, the pad and excluded items never chosen, −∞ (not retrieved) cut, K beyond the catalogue.
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { scoredTopK } from "../../../src/runtime/recommend/scored-top-k.js";
import { expectNoLeakedTensors, useCpuBackend } from "../../helpers/tf.js";

beforeAll(useCpuBackend);

// Column 0 is the pad (scored highest on purpose: it must never come back); items 1..5.
const SCORES = [
  [9, 0.5, 0.75, 0.125, 0.75, 0.25],
  [9, 1, 2, 3, 4, 5],
  [9, -Infinity, 2, -Infinity, 1, -Infinity],
];

const lists = async (k: number, exclude?: number[][]) => {
  const scores = tf.tensor2d(SCORES);
  try {
    return (await scoredTopK(scores, k, exclude)).map((l) => ({ items: Array.from(l.items), scores: Array.from(l.scores) }));
  } finally {
    scores.dispose();
  }
};

describe("scoredTopK", () => {
  it("gives the best K items with their scores, ties broken by the lower id, never the pad", async () => {
    const [first, second, third] = await lists(3);
    expect(first).toEqual({ items: [2, 4, 1], scores: [0.75, 0.75, 0.5] });
    expect(second).toEqual({ items: [5, 4, 3], scores: [5, 4, 3] });
    expect(third).toEqual({ items: [2, 4], scores: [2, 1] });
  });

  it("leaves out each row's excluded items and fills the list from below", async () => {
    const [first, second] = await lists(3, [[2], [5, 3]]);
    expect(first).toEqual({ items: [4, 1, 5], scores: [0.75, 0.5, 0.25] });
    expect(second).toEqual({ items: [4, 2, 1], scores: [4, 2, 1] });
  });

  it("gives the whole eligible catalogue when K is larger than it", async () => {
    const [first, second, third] = await lists(50, [[1], [], [2]]);
    expect(first.items).toEqual([2, 4, 5, 3]);
    expect(second).toEqual({ items: [5, 4, 3, 2, 1], scores: [5, 4, 3, 2, 1] });
    // Only item 4 is both retrieved (finite) and not excluded.
    expect(third).toEqual({ items: [4], scores: [1] });
  });

  it("frees every tensor it makes", async () => {
    await expectNoLeakedTensors(() => lists(2, [[1], [2], [3]]));
  });
});
