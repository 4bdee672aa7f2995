import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { Rng } from "../../../src/runtime/random.js";
import { topKByDotProduct, topKOfMatrix, topKOfRow, topKOfTensor } from "../../../src/runtime/eval/top-k.js";
import { expectNoLeakedTensors, useCpuBackend } from "../../helpers/tf.js";

/** Reference: full sort by (score desc, id asc), minus excluded ids and the pad. */
function naiveTopK(row: ArrayLike<number>, k: number, exclude: number[] = []): number[] {
  const ids = Array.from({ length: row.length }, (_, i) => i).filter((i) => i !== 0 && !exclude.includes(i));
  ids.sort((a, b) => row[b] - row[a] || a - b);
  return ids.slice(0, k);
}

describe("topKOfRow", () => {
  it("returns the best ids first", () => {
    const row = new Float32Array([9, 0.1, 0.5, 0.3, 0.9]);
    const mask = new Uint8Array(5);
    mask[0] = 1; // pad
    expect(Array.from(topKOfRow(row, 3, mask))).toEqual([4, 2, 3]);
  });

  it("breaks ties by the lower item id", () => {
    const row = new Float32Array([0, 1, 2, 2, 1, 2]);
    expect(Array.from(topKOfRow(row, 4))).toEqual([2, 3, 5, 1]);
  });

  it("returns fewer ids when fewer items are eligible, and none for k = 0", () => {
    const row = new Float32Array([0, 1, 2]);
    const mask = Uint8Array.from([1, 0, 1]);
    expect(Array.from(topKOfRow(row, 5, mask))).toEqual([1]);
    expect(topKOfRow(row, 0).length).toBe(0);
  });

  it("ranks NaN scores last", () => {
    const row = new Float32Array([0, NaN, -5, 3]);
    expect(Array.from(topKOfRow(row, 3))).toEqual([3, 0, 2]);
  });
});

describe("topKOfMatrix", () => {
  it("excludes the pad and each user's history", () => {
    const scores = new Float32Array([
      // user 0: item 0 (pad) scores highest but must not appear; history {2}
      10, 1, 5, 3, 4,
      // user 1: history {1, 4}
      0, 9, 8, 7, 6,
    ]);
    const lists = topKOfMatrix(scores, 5, 2, { exclude: [[2], [1, 4]] });
    expect(lists.map((l) => Array.from(l))).toEqual([
      [4, 3],
      [2, 3],
    ]);
  });

  it("matches a full sort on random rows with ties", () => {
    const rng = new Rng(11);
    const users = 20;
    const items = 300;
    // Quantised scores make ties frequent.
    const scores = Float32Array.from({ length: users * items }, () => rng.int(20));
    const exclude = Array.from({ length: users }, () => Array.from({ length: 5 }, () => rng.int(items)));
    const lists = topKOfMatrix(scores, items, 10, { exclude });
    for (let u = 0; u < users; u++) {
      const row = scores.subarray(u * items, (u + 1) * items);
      expect(Array.from(lists[u])).toEqual(naiveTopK(row, 10, exclude[u]));
    }
  });

  it("keeps the pad excluded even when a history contains 0", () => {
    const scores = new Float32Array([5, 1, 2, 5, 1, 2]);
    const lists = topKOfMatrix(scores, 3, 1, { exclude: [[0], []] });
    expect(Array.from(lists[1])).toEqual([2]);
  });

  it("rejects a matrix that is not a whole number of rows", () => {
    expect(() => topKOfMatrix(new Float32Array(7), 3, 1)).toThrow(/multiple/);
  });
});

describe("top-K on the device", () => {
  beforeAll(useCpuBackend);

  it("agrees with the TypeScript path, exclusions and ties included", async () => {
    const rng = new Rng(5);
    const users = 7;
    const items = 50;
    const data = Float32Array.from({ length: users * items }, () => rng.int(6));
    const exclude = Array.from({ length: users }, (_, u) => Array.from({ length: u }, () => rng.int(items)));
    await expectNoLeakedTensors(async () => {
      const scores = tf.tensor2d(data, [users, items]);
      const lists = await topKOfTensor(scores, 8, { exclude });
      scores.dispose();
      expect(lists.map((l) => Array.from(l))).toEqual(topKOfMatrix(data, items, 8, { exclude }).map((l) => Array.from(l)));
    });
  });

  it("ranks by U·Vᵀ in chunks, using global user indices for exclusions", async () => {
    // Items lie on a line: item i has vector [i, 1]; user vectors pick directions.
    const items = tf.tensor2d([0, 1, 1, 1, 2, 1, 3, 1, 4, 1], [5, 2]);
    const users = tf.tensor2d([1, 0, -1, 0, 1, 0], [3, 2]);
    await expectNoLeakedTensors(async () => {
      const lists = await topKByDotProduct(users, items, 2, { chunkSize: 2, exclude: [null, null, [4]] });
      // User 0 prefers large ids; user 1 small ids (pad 0 excluded); user 2 like user 0 minus item 4.
      expect(lists.map((l) => Array.from(l))).toEqual([
        [4, 3],
        [1, 2],
        [3, 2],
      ]);
    });
    items.dispose();
    users.dispose();
  });

  it("rejects mismatched vector sizes", async () => {
    const u = tf.zeros([2, 3]) as tf.Tensor2D;
    const v = tf.zeros([4, 2]) as tf.Tensor2D;
    await expect(topKByDotProduct(u, v, 1)).rejects.toThrow(/dim/);
    u.dispose();
    v.dispose();
  });
});
