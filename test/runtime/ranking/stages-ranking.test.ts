import "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { beforeAll, describe, expect, it } from "vitest";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import { buildRanking } from "../../../src/runtime/program/stages-ranking.js";
import type { BlockSpec } from "../../../src/runtime/program/types.js";
import type { RankingModel } from "../../../src/runtime/ranking/ranking-model.js";
import { useCpuBackend } from "../../helpers/tf.js";
import { clusterSemanticIds, rankingData } from "./fixtures.js";

let data: PreparedData;
beforeAll(async () => {
  await useCpuBackend();
  data = await rankingData(0.1);
});

/** The IR block of `model ranker = ranking(tiny) { item = …; layers = [32, 16]; embedding = 16 }`. */
function block(item: Record<string, unknown>): BlockSpec {
  return {
    name: "ranker",
    kind: "model",
    type: "ranking",
    dataset: "tiny",
    attributes: {
      data: { ref: "tiny" },
      item,
      user: { type: "history_pool", history: 6, pool: "attention" },
      embedding: 16,
      layers: [32, 16],
      loss: { type: "logistic", negatives: 4, sampling: "popularity" },
    },
    train: { seed: 3 },
  };
}

describe("buildRanking", () => {
  it("builds each item variant from its IR block, with its table budget", () => {
    const ids = clusterSemanticIds(data);
    const dim = 5;
    const vectors = new Float32Array((data.numItems + 1) * dim);
    for (let i = 1; i <= data.numItems; i++) vectors[i * dim + data.synthetic!.itemCluster[i]] = 1;
    const features = { dim, numItems: data.numItems, vectors };
    const cases: [Record<string, unknown>, number][] = [
      [{ type: "random_id", buckets: 100 }, 100],
      [{ type: "semantic_id", ids: { ref: "sid" }, embed: { type: "ngram", n: 2, rows: 1000 } }, 64], // 8² rows, exact
      [{ type: "semantic_id", ids: { ref: "sid" }, embed: { type: "spm", vocab: 40 } }, 40],
      [{ type: "dense", features: { ref: "content" } }, 0],
    ];
    for (const [item, rows] of cases) {
      const model = buildRanking(block(item), data, ids, features) as RankingModel;
      expect(model.name).toBe("ranker");
      expect(model.historyLength).toBe(6);
      expect(model.budget.rows).toBe(rows);
      // Item table (or projection) + attention pool + MLP [48 → 32 → 16 → 1].
      const mlp = 48 * 32 + 32 + 32 * 16 + 16 + 16 + 1;
      const pool = 16 * 16 + 16 + 16;
      expect(model.params.count()).toBe(model.budget.parameters + pool + mlp);
      const scores = model.scoreItems(new Int32Array([0, 0, 1, 2, 3, 4]), 1);
      expect(scores.shape).toEqual([1, data.numItems + 1]);
      expect(Array.from(scores.dataSync()).every(Number.isFinite)).toBe(true);
      scores.dispose();
      model.dispose();
    }
  });

  it("says which input a variant lacks", () => {
    expect(() => buildRanking(block({ type: "semantic_id", ids: { ref: "sid" }, embed: { type: "spm", vocab: 40 } }), data, null, null)).toThrow(/Semantic-ID table/);
    expect(() => buildRanking(block({ type: "dense", features: { ref: "content" } }), data, null, null)).toThrow(/content vectors/);
  });
});
