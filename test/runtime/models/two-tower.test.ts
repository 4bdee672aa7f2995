import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { beforeAll, describe, expect, it } from "vitest";
import { makeBatch } from "../../../src/runtime/data/batching.js";
import { twoTowerModel } from "../../../src/runtime/models/two-tower.js";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import { Rng } from "../../../src/runtime/random.js";
import { expectTensorsClose, useCpuBackend } from "../../helpers/tf.js";
import { encoder, itemTowerSpec, multiInterestTower, tinyData, twoTowerConfig } from "./fixtures.js";

let data: PreparedData;
beforeAll(async () => {
  await useCpuBackend();
  data = await tinyData();
});

const towers = (h: number) => ({ user: multiInterestTower(h), item: itemTowerSpec() });

function model0Examples() {
  const model = twoTowerModel(twoTowerConfig(), towers(1), data, 0);
  model.dispose();
  return model.trainingExamples;
}

describe("twoTowerModel", () => {
  it("expands leave-last-out training sequences into next-item examples with a history", () => {
    const model = twoTowerModel(twoTowerConfig(), towers(1), data, 0);
    const expected = data.split.train.reduce((s, e) => s + e.history.length, 0);
    expect(model.trainingExamples.length).toBe(expected);
    expect(model.trainingExamples.every((e) => e.history.length > 0)).toBe(true);
    model.dispose();
  });

  it("starts near ln(B) with the in-batch softmax", () => {
    const model = twoTowerModel(twoTowerConfig(), towers(3), data, 1);
    // Distinct targets, so no duplicate masking shrinks the softmax.
    const seen = new Set<number>();
    const picked: number[] = [];
    model.trainingExamples.forEach((e, i) => {
      if (!seen.has(e.target) && picked.length < 32) {
        seen.add(e.target);
        picked.push(i);
      }
    });
    const batch = makeBatch(model.trainingExamples, picked, data.history);
    const loss = model.loss(batch, { training: true, rng: new Rng(0) });
    expect(loss.dataSync()[0]).toBeCloseTo(Math.log(picked.length), 1);
    loss.dispose();
    model.dispose();
  });

  it("gives H interest vectors, and one for H = 1 and for a sequence encoder", () => {
    const histories = makeBatch(data.split.test, [0, 1, 2, 3], data.history).histories;
    for (const [spec, h] of [
      [multiInterestTower(4), 4],
      [multiInterestTower(1), 1],
      [{ type: "sequence_encoder" as const, attributes: { embedding: 16, encoder: encoder(), output: null } }, 1],
    ] as const) {
      const model = twoTowerModel(twoTowerConfig(), { user: spec, item: itemTowerSpec() }, data, 2);
      const users = model.userVectors(histories, 4);
      expect(users.shape).toEqual([4, h, 16]);
      const scores = model.scoreItems(histories, 4);
      expect(scores.shape).toEqual([4, data.numItems + 1]);
      tf.dispose([users, scores]);
      model.dispose();
    }
  });

  it("scores an item by its best interest (max over heads)", () => {
    const model = twoTowerModel(twoTowerConfig(), towers(3), data, 3);
    const histories = makeBatch(data.split.test, [0, 1], data.history).histories;
    const scores = model.scoreItems(histories, 2);
    const manual = tf.tidy(() => {
      const users = model.userVectors(histories, 2); // [2, 3, 16]
      const items = model.itemVectors(tf.range(0, data.numItems + 1, 1, "int32") as tf.Tensor1D);
      const perHead = tf.stack([0, 1, 2].map((h) => tf.matMul(tf.squeeze(tf.slice(users, [0, h, 0], [2, 1, 16]), [1]), items, false, true)));
      return tf.max(perHead, 0);
    });
    expectTensorsClose(scores, manual, 1e-5);
    tf.dispose([scores, manual]);
    model.dispose();
  });

  it("routes each pair's gradient to the winning head only", () => {
    // In-batch scores are max_h <u_h, v_j>; query h only shapes interest h, so a head that wins no
    // (user, item) pair gets exactly zero gradient and every winning head gets some.
    // Histories of several items: with one item the attention weights are 1 whatever the query.
    const longer = model0Examples().map((e, i) => (e.history.length >= 4 ? i : -1)).filter((i) => i >= 0);
    let checkedLosers = 0;
    for (let seed = 0; seed < 12 && checkedLosers === 0; seed++) {
      const model = twoTowerModel(twoTowerConfig(), towers(3), data, seed);
      const batch = makeBatch(model.trainingExamples, [longer[seed], longer[seed + 40]], data.history);
      const queries = model.params.variables().get("user_tower/interests/queries")!;
      const { grads, value } = tf.variableGrads(() => model.loss(batch, { training: true, rng: new Rng(0) }), [queries]);
      const g = grads[queries.name]!;
      const rowNorms = Array.from(tf.tidy(() => tf.sum(tf.abs(g), 1)).dataSync());
      const s = tf.tidy(() => {
        const users = model.userVectors(batch.histories, 2);
        const items = model.itemVectors(tf.tensor1d(batch.targets, "int32"));
        return tf.matMul(tf.reshape(users, [6, 16]), items, false, true);
      });
      const perHead = s.dataSync(); // row u·3 + h, column j
      const winners = new Set<number>();
      for (let u = 0; u < 2; u++) {
        for (let j = 0; j < 2; j++) {
          let best = 0;
          for (let h = 1; h < 3; h++) if (perHead[(u * 3 + h) * 2 + j] > perHead[(u * 3 + best) * 2 + j]) best = h;
          winners.add(best);
        }
      }
      for (let h = 0; h < 3; h++) {
        if (winners.has(h)) expect(rowNorms[h]).toBeGreaterThan(0);
        else {
          expect(rowNorms[h]).toBe(0);
          checkedLosers++;
        }
      }
      tf.dispose([value, g, s]);
      model.dispose();
    }
    expect(checkedLosers).toBeGreaterThan(0);
  });

  it("weights examples by inverse target frequency, mean 1 over the training examples", () => {
    const model = twoTowerModel(twoTowerConfig({ weighting: { type: "inverse_frequency" } }), towers(1), data, 5);
    const w = model.itemWeights!;
    const mean = model.trainingExamples.reduce((s, e) => s + w[e.target], 0) / model.trainingExamples.length;
    expect(mean).toBeCloseTo(1, 5);
    // w_j · count_j is the same for every target item.
    const products = new Set<string>();
    for (let j = 1; j <= data.numItems; j++) if (model.targetCounts[j] > 0) products.add((w[j] * model.targetCounts[j]).toPrecision(5));
    expect(products.size).toBe(1);
    // The IDW hook replaces them, rescaled to mean 1.
    model.setItemWeights(new Float32Array(data.numItems + 1).fill(3));
    expect(model.itemWeights![1]).toBeCloseTo(1, 5);
    model.dispose();
  });

  it("trains with sampled negatives and the disagreement term without leaking tensors", () => {
    const config = twoTowerConfig({ loss: { type: "sampled_softmax", negatives: "popularity", count: 8, logq: true, temperature: 0.1 } });
    const user = multiInterestTower(3);
    if (user.type === "multi_interest") user.attributes.disagreement = 0.1;
    const model = twoTowerModel(config, { user, item: { type: "item_tower", attributes: { embedding: 16, layers: [32], output: 16 } } }, data, 6);
    const batch = makeBatch(model.trainingExamples, Array.from({ length: 16 }, (_, i) => i), data.history);
    const vars = [...model.params.variables().values()];
    const step = () => {
      const { value, grads } = tf.variableGrads(() => model.loss(batch, { training: true, rng: new Rng(2) }), vars);
      const v = value.dataSync()[0];
      tf.dispose([value, ...Object.values(grads)]);
      return v;
    };
    const first = step();
    const before = tf.memory().numTensors;
    expect(step()).toBe(first);
    expect(tf.memory().numTensors).toBe(before);
    expect(Number.isFinite(first)).toBe(true);
    model.dispose();
  });

  it("rejects score = dot with several interests, and towers of different widths", () => {
    expect(() => twoTowerModel(twoTowerConfig({ score: "dot" }), towers(3), data, 0)).toThrow(/max_interest/);
    expect(() => twoTowerModel(twoTowerConfig(), { user: multiInterestTower(1, 8), item: itemTowerSpec(16) }, data, 0)).toThrow(/must match/);
  });
});
