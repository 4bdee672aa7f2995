// The cached beam search of SemanticIdRetrieval.retrieve (incremental decoder, shared cross-attention
// keys/values, slot beams) against the straightforward one (retrieveReference) on small random
// models: same items, same order, same scores, constrained and not, pre- and post-LN, 2 layers.
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { makeBatch } from "../../../src/runtime/data/batching.js";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import type { SemanticIdTable } from "../../../src/runtime/quantizers/semantic-id-table.js";
import { useCpuBackend } from "../../helpers/tf.js";
import { clusterRankIds, tinyData } from "./fixtures.js";
import { generatedTiger } from "./tiger-program.js";

let data: PreparedData;
let table: SemanticIdTable;

beforeAll(async () => {
  await useCpuBackend();
  data = await tinyData();
  table = clusterRankIds(data);
});

describe("SemanticIdRetrieval cached decoding (generated TIGER)", () => {
  for (const [norm, constrain, width] of [
    ["pre", "trie", 7],
    ["post", "none", 5],
  ] as const) {
    it(`gives the reference search's items and scores (${norm}-LN, ${constrain}, width ${width})`, async () => {
      const model = await generatedTiger(data, table, { layers: 2, norm, width, constrain, coldStartShare: 0.2, seed: 11 });
      const rows = Array.from({ length: 9 }, (_, i) => i);
      const batch = makeBatch(data.split.test, rows, data.history);
      const before = tf.memory().numTensors;
      const fast = await model.retrieval.retrieve(model, batch.histories, rows.length, batch.users);
      expect(tf.memory().numTensors).toBe(before);
      const slow = await model.retrieval.retrieveReference(model, batch.histories, rows.length, batch.users);
      expect(fast.map((l) => l.map((x) => x.item))).toEqual(slow.map((l) => l.map((x) => x.item)));
      fast.forEach((list, s) => list.forEach((x, k) => expect(x.score).toBeCloseTo(slow[s][k].score, 4)));
      expect(fast.every((l) => l.length > 0)).toBe(true);
      model.dispose();
    });
  }
});
