import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { beforeAll, describe, expect, it } from "vitest";
import { makeBatch } from "../../../src/runtime/data/batching.js";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import { Rng } from "../../../src/runtime/random.js";
import { evaluateRanking } from "../../../src/runtime/ranking/evaluate-ranking.js";
import { NegativeSampler } from "../../../src/runtime/ranking/negative-sampler.js";
import { expectTensorsClose } from "../../helpers/tf.js";
import { selectBackend } from "../../../src/runtime/backend/select-backend.js";
import { clusterSemanticIds, rankingData, trainQuietly } from "./fixtures.js";
import { generatedRanker } from "./ranking-program.js";

let data: PreparedData;
beforeAll(async () => {
  await selectBackend("wasm");
  data = await rankingData(0.1);
});

const ngram = "semantic_id(sid, embed: ngram(n: 1, rows: 64))";

// The ranking model as the compiler generates it (model.ts of a tiny `ranking` spec).
describe("generated ranking model", () => {
  it("starts at a logistic loss of ln 2 per pair", async () => {
    for (const pool of ["mean", "attention"] as const) {
      const model = await generatedRanker(data, { item: ngram, pool, seed: 1 }, clusterSemanticIds(data));
      const batch = makeBatch(
        model.trainingExamples,
        Array.from({ length: 64 }, (_, i) => i),
        model.historyLength,
      );
      const loss = model.loss(batch, { training: true, rng: new Rng(0) });
      expect(Math.abs(loss.dataSync()[0] - Math.LN2)).toBeLessThan(0.02);
      loss.dispose();
      model.dispose();
    }
  });

  it("never trains on cold items: not as targets, not in histories, not as negatives", async () => {
    const model = await generatedRanker(data, { item: "random_id(buckets: 64)", seed: 0 });
    expect(data.coldItems.size).toBe(5);
    for (const e of model.trainingExamples) {
      expect(data.coldMask[e.target]).toBe(0);
      for (const i of e.history) expect(data.coldMask[i]).toBe(0);
    }
    for (const sampling of ["uniform", "popularity"] as const) {
      const sampler = new NegativeSampler(data.trainCounts, data.coldMask, sampling);
      const rng = new Rng(1);
      const drawn = new Set<number>();
      for (let k = 0; k < 5000; k++) {
        const i = sampler.draw(rng, 7);
        expect(i).not.toBe(7);
        expect(data.coldMask[i]).toBe(0);
        drawn.add(i);
      }
      // Every warm item but the avoided one shows up.
      expect(drawn.size).toBe(data.numItems - data.coldItems.size - 1);
    }
    model.dispose();
  });

  it("scores the whole catalogue in item chunks, matching scoreCandidates", async () => {
    const model = await generatedRanker(data, { item: ngram, seed: 2 }, clusterSemanticIds(data));
    const histories = makeBatch(data.split.test, [0, 1, 2], model.historyLength).histories;
    const whole = model.scoreItems(histories, 3);
    model.pairsPerCall = 21; // 7 items per MLP call
    const chunked = model.scoreItems(histories, 3);
    expect(chunked.shape).toEqual([3, data.numItems + 1]);
    expectTensorsClose(chunked, whole, 1e-5);
    const ids = Int32Array.from([5, 9, 1, 5, 9, 1, 40, 2, 3]);
    const picked = model.scoreCandidates(histories, 3, ids);
    const host = whole.arraySync();
    expectTensorsClose(picked, tf.tensor2d([0, 1, 2].map((u) => [0, 1, 2].map((k) => host[u][ids[u * 3 + k]]))), 1e-5);
    [whole, chunked, picked].forEach((t) => t.dispose());
    model.dispose();
  });

  it("a tiny ranking model beats popularity on test-split AUC", async () => {
    for (const item of ["random_id(buckets: 64)", ngram]) {
      const model = await generatedRanker(data, { item, seed: 3 }, clusterSemanticIds(data));
      await trainQuietly(model, data, 4);
      const result = await evaluateRanking(model, data, {
        model: "m",
        dataset: "d",
        split: "test",
        metrics: [
          { metric: "auc", k: null },
          { metric: "ndcg", k: 10 },
        ],
        slices: [{ type: "all" }],
        candidates: { type: "sampled", negatives: 20, sampling: "uniform" },
        exclude_history: false,
        baseline: true,
        baselines: null,
        bootstrap: 0,
      });
      const auc = result.rows.find((r) => r.metric === "auc")!;
      expect(result.split).toBe("test");
      expect(auc.n).toBe(data.split.test.length);
      expect(auc.value).toBeGreaterThan(auc.baseline!.value + 0.05);
      expect(auc.value).toBeGreaterThan(0.75);
      model.dispose();
    }
  });
});
