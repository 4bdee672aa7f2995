import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { beforeAll, describe, expect, it } from "vitest";
import { makeBatch } from "../../../src/runtime/data/batching.js";
import { sourceTokens } from "../../../src/runtime/models/generative.js";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import { buildSemanticIdTable, type SemanticIdTable } from "../../../src/runtime/quantizers/semantic-id-table.js";
import { Rng } from "../../../src/runtime/random.js";
import { useCpuBackend } from "../../helpers/tf.js";
import { clusterRankIds, tinyData } from "./fixtures.js";
import { generatedTiger } from "./tiger-program.js";

let data: PreparedData;
/** Hand-made Semantic IDs of the synthetic items: (cluster, rank − 1) + suffix. */
let table: SemanticIdTable;

beforeAll(async () => {
  await useCpuBackend();
  data = await tinyData();
  table = clusterRankIds(data);
});

describe("generative (TIGER) model", () => {
  it("lays out per-level vocabularies and starts at the mean of ln(level size)", async () => {
    const model = await generatedTiger(data, table, { seed: 1 });
    // 3 special + 10 + 10 + 1 suffix code (no collisions) + 16 user buckets.
    expect(model.layout.sizes).toEqual([10, 10, 1]);
    expect(model.layout.offsets).toEqual([3, 13, 23]);
    expect(model.layout.vocabulary).toBe(40);
    expect(model.trainingExamples.length).toBeGreaterThan(data.split.train.length);
    const batch = makeBatch(
      model.trainingExamples,
      Array.from({ length: 64 }, (_, i) => i * 7),
      data.history,
    );
    const loss = model.loss(batch, { training: true, rng: new Rng(0) });
    expect(loss.dataSync()[0]).toBeCloseTo((2 * Math.log(10) + Math.log(1)) / 3, 1);
    loss.dispose();
    model.dispose();
    const plain = await generatedTiger(data, buildSemanticIdTable(flatBase(), 2, 10, "none"), { seed: 2 });
    expect(plain.layout.sizes).toEqual([10, 10]);
    const l2 = plain.loss(batch, { training: false });
    expect(l2.dataSync()[0]).toBeCloseTo(Math.log(10), 1);
    l2.dispose();
    plain.dispose();
  });

  it("builds the source as user token + flattened Semantic IDs with fixed positions", async () => {
    const model = await generatedTiger(data, table, { seed: 1 });
    const t = data.history;
    const h = new Int32Array(2 * t);
    h[t - 1] = 5; // row 0: one item
    h[2 * t - 2] = 7; // row 1: two items
    h[2 * t - 1] = 5;
    const { ids, positions, length } = sourceTokens(model.layout, h, 2, t, Int32Array.of(3, 4));
    expect(length).toBe(1 + 2 * 3);
    const codes = (i: number) => [3 + table.codes[i * 3], 13 + table.codes[i * 3 + 1], 23];
    expect(Array.from(ids.subarray(1, 7))).toEqual([0, 0, 0, ...codes(5)]);
    expect(Array.from(ids.subarray(8, 14))).toEqual([...codes(7), ...codes(5)]);
    expect(ids[0]).toBeGreaterThanOrEqual(24);
    // The newest item always sits at the last positions of the untrimmed window.
    expect(Array.from(positions.subarray(4, 7))).toEqual([1 + (t - 1) * 3, 2 + (t - 1) * 3, 3 + (t - 1) * 3]);
    model.dispose();
  });

  it("scores only the beam's items (finite, descending), never an invalid or cold ID, with no leak", async () => {
    const model = await generatedTiger(data, table, { width: 6, seed: 3 });
    const before = tf.memory().numTensors;
    const batch = makeBatch(data.split.test, [0, 1, 2], data.history);
    const scores = await model.scoreItems(batch.histories, 3, batch.users);
    expect(scores.shape).toEqual([3, data.numItems + 1]);
    const s = scores.dataSync();
    for (let r = 0; r < 3; r++) {
      const row = Array.from(s.subarray(r * (data.numItems + 1), (r + 1) * (data.numItems + 1)));
      expect(row.filter(Number.isFinite).length).toBe(6);
      expect(row[0]).toBe(-Infinity);
    }
    scores.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(model.retrieval.decodeStats.invalid).toBe(0);
    model.dispose();
  });

  it("counts invalid IDs when decoding unconstrained", async () => {
    // Half of the (cluster, rank) grid removed from the table: many decoded IDs name nothing.
    const base = flatBase();
    const sparse = buildSemanticIdTable(
      base.map((c, k) => (k >= 2 && k % 2 === 1 ? (c % 5) * 2 : c)),
      2,
      10,
      "suffix_token",
    );
    const model = await generatedTiger(data, sparse, { constrain: "none", seed: 4 });
    const batch = makeBatch(data.split.test, [0, 1, 2, 3], data.history);
    (await model.scoreItems(batch.histories, 4, batch.users)).dispose();
    expect(model.retrieval.decodeStats.total).toBe(40);
    expect(model.retrieval.invalidRate()).toBeGreaterThan(0);
    model.dispose();
  });
});

function flatBase(): Int32Array {
  const syn = data.synthetic!;
  const base = new Int32Array((data.numItems + 1) * 2).fill(-1);
  for (let i = 1; i <= data.numItems; i++) {
    base[i * 2] = syn.itemCluster[i];
    base[i * 2 + 1] = syn.itemRank[i] - 1;
  }
  return base;
}
