// SemanticIdRetrieval told each history's seen items, on small generated TIGER models: the cached
// search (slot beams) and the reference one (re-decoding every prefix) skip the same items and
// give the same lists; a constrained list holds `width` unseen items; empty exclusions change
// nothing, bit for bit; a user who has seen every item gets an empty list; scoreItems spreads the
// lists back to the caller's row order.
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { makeBatch } from "../../../src/runtime/data/batching.js";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import type { SemanticIdTable } from "../../../src/runtime/quantizers/semantic-id-table.js";
import { useCpuBackend } from "../../helpers/tf.js";
import { clusterRankIds, tinyData } from "../models/fixtures.js";
import { generatedTiger } from "../models/tiger-program.js";

let data: PreparedData;
let table: SemanticIdTable;

beforeAll(async () => {
  await useCpuBackend();
  data = await tinyData();
  table = clusterRankIds(data);
});

describe("SemanticIdRetrieval skipping seen items (generated TIGER)", () => {
  // Unconstrained, a random model's beams mostly name no item: a wider beam finds some that do.
  for (const [constrain, width] of [
    ["trie", 6],
    ["none", 40],
  ] as const) {
    it(`cached and reference searches skip the same items (${constrain}, width ${width})`, async () => {
      const model = await generatedTiger(data, table, { layers: 1, width, constrain, coldStartShare: 0, seed: 3 });
      const rows = Array.from({ length: 9 }, (_, i) => i);
      const batch = makeBatch(data.split.test, rows, data.history);
      // Each user's seen items, plus what the history-kept search ranked first for them.
      const kept = await model.retrieval.retrieve(model, batch.histories, rows.length, batch.users);
      const seen = rows.map((r, s) => Int32Array.from([...data.split.test[r].history, ...kept[s].slice(0, 2).map((x) => x.item)]));
      const before = tf.memory().numTensors;
      const fast = await model.retrieval.retrieve(model, batch.histories, rows.length, batch.users, seen);
      expect(tf.memory().numTensors).toBe(before);
      const slow = await model.retrieval.retrieveReference(model, batch.histories, rows.length, batch.users, seen);
      expect(fast.map((l) => l.map((x) => x.item))).toEqual(slow.map((l) => l.map((x) => x.item)));
      fast.forEach((list, s) => list.forEach((x, k) => expect(x.score).toBeCloseTo(slow[s][k].score, 4)));
      expect(fast.every((list) => list.length > 0)).toBe(true);
      fast.forEach((list, s) => {
        expect(list.filter((x) => seen[s].includes(x.item))).toEqual([]);
        // The top of the kept list is gone: the search did work.
        if (kept[s].length > 0) expect(list[0]?.item).not.toBe(kept[s][0].item);
        if (constrain === "trie") expect(list).toHaveLength(width);
      });
      // Empty exclusions: the history-kept search, bit for bit.
      const empty = await model.retrieval.retrieve(
        model,
        batch.histories,
        rows.length,
        batch.users,
        rows.map(() => []),
      );
      expect(empty).toEqual(kept);
      model.dispose();
    });
  }

  it("gives a user who has seen every item nothing, and scoreItems keeps each row's own exclusions", async () => {
    const model = await generatedTiger(data, table, { layers: 1, width: 4, constrain: "trie", coldStartShare: 0, seed: 5 });
    const rows = [0, 1, 2];
    const batch = makeBatch(data.split.test, rows, data.history);
    const everything = Int32Array.from({ length: data.numItems }, (_, i) => i + 1);
    const seen = [data.split.test[0].history, everything, data.split.test[2].history];
    const lists = await model.retrieval.retrieve(model, batch.histories, rows.length, batch.users, seen);
    expect(lists[1]).toEqual([]);
    // scoreItems sorts rows by history length into chunks: the exclusions must follow their rows.
    model.retrieval.decodeChunk = 2;
    const scores = await model.scoreItems(batch.histories, rows.length, batch.users, seen);
    const values = (await scores.data()) as Float32Array;
    scores.dispose();
    const n = data.numItems + 1;
    rows.forEach((_, s) => {
      const retrieved = lists[s].map((x) => x.item).sort((a, b) => a - b);
      const finite = Array.from({ length: n }, (_, i) => i).filter((i) => values[s * n + i] > -Infinity);
      expect(finite, `row ${s}`).toEqual(retrieved);
    });
    model.dispose();
  });
});
