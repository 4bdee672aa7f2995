// A generated two-tower model (two-tower-program.ts compiles a tiny spec and imports its class):
// its training examples, loss, interest vectors, max-over-interests scoring and hard routing,
// example weights, and the rules the checker enforces on its towers.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { beforeAll, describe, expect, it } from "vitest";
import { makeBatch } from "../../../src/runtime/data/batching.js";
import { INFERENCE } from "../../../src/runtime/layers/dropout.js";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import { Rng } from "../../../src/runtime/random.js";
import { expectTensorsClose, useCpuBackend } from "../../helpers/tf.js";
import { tinyData } from "./fixtures.js";
import { multiInterest, twoTowerClass, twoTowerErrors, weightedTwoTowerClass, type TwoTowerSettings } from "./two-tower-program.js";

let data: PreparedData;
beforeAll(async () => {
  await useCpuBackend();
  data = await tinyData();
});

async function twoTower(settings: TwoTowerSettings) {
  return new (await twoTowerClass(settings))(data);
}

describe("a generated two-tower model", () => {
  it("expands leave-last-out training sequences into next-item examples with a history", async () => {
    const model = await twoTower({});
    const expected = data.split.train.reduce((s, e) => s + e.history.length, 0);
    expect(model.trainingExamples.length).toBe(expected);
    expect(model.trainingExamples.every((e) => e.history.length > 0)).toBe(true);
    model.dispose();
  });

  it("starts near ln(B) with the in-batch softmax", async () => {
    const model = await twoTower({ user: multiInterest(3), seed: 1 });
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

  it("gives H interest vectors, and one for H = 1 and for a sequence encoder", async () => {
    const histories = makeBatch(data.split.test, [0, 1, 2, 3], data.history).histories;
    for (const [user, h, score] of [
      [multiInterest(4), 4, "max_interest"],
      [multiInterest(1), 1, "max_interest"],
      ["sequence_encoder(tiny) { embedding = 16  encoder = transformer(layers: 1, heads: 2, d_ff: 32) }", 1, "dot"],
    ] as const) {
      const model = await twoTower({ user, score, seed: 2 });
      const users = model.user.vectors(histories, 4, INFERENCE);
      expect(users.shape).toEqual([4, h, 16]);
      const scores = await model.scoreItems(histories, 4);
      expect(scores.shape).toEqual([4, data.numItems + 1]);
      tf.dispose([users, scores]);
      model.dispose();
    }
  });

  it("scores an item by its best interest (max over heads)", async () => {
    const model = await twoTower({ user: multiInterest(3), seed: 3 });
    const histories = makeBatch(data.split.test, [0, 1], data.history).histories;
    const scores = await model.scoreItems(histories, 2);
    const manual = tf.tidy(() => {
      const users = model.user.vectors(histories, 2, INFERENCE); // [2, 3, 16]
      const items = model.itemVectors(tf.range(0, data.numItems + 1, 1, "int32") as tf.Tensor1D);
      const perHead = tf.stack([0, 1, 2].map((h) => tf.matMul(tf.squeeze(tf.slice(users, [0, h, 0], [2, 1, 16]), [1]), items, false, true)));
      return tf.max(perHead, 0);
    });
    expectTensorsClose(scores, manual, 1e-5);
    tf.dispose([scores, manual]);
    model.dispose();
  });

  it("routes each pair's gradient to the winning head only", async () => {
    // In-batch scores are max_h <u_h, v_j>; query h only shapes interest h, so a head that wins no
    // (user, item) pair gets exactly zero gradient and every winning head gets some.
    // Histories of several items: with one item the attention weights are 1 whatever the query.
    let checkedLosers = 0;
    for (let seed = 0; seed < 12 && checkedLosers === 0; seed++) {
      const model = await twoTower({ user: multiInterest(3), seed });
      const longer = model.trainingExamples.map((e, i) => (e.history.length >= 4 ? i : -1)).filter((i) => i >= 0);
      const batch = makeBatch(model.trainingExamples, [longer[seed], longer[seed + 40]], data.history);
      const queries = model.params.variables().get("user_tower/interests/queries")!;
      const { grads, value } = tf.variableGrads(() => model.loss(batch, { training: true, rng: new Rng(0) }), [queries]);
      const g = grads[queries.name]!;
      const rowNorms = Array.from(tf.tidy(() => tf.sum(tf.abs(g), 1)).dataSync());
      const s = tf.tidy(() => {
        const users = model.user.vectors(batch.histories, 2, INFERENCE);
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

  it("weights examples by inverse target frequency, mean 1 over the training examples", async () => {
    const model = await twoTower({ weighting: "inverse_frequency", seed: 5 });
    // An example's weight: the loss denominator of a batch of that example alone.
    const weightOf = (i: number) => model.lossWeight(makeBatch(model.trainingExamples, [i], data.history));
    const all = makeBatch(
      model.trainingExamples,
      model.trainingExamples.map((_, i) => i),
      data.history,
    );
    expect(model.lossWeight(all) / model.trainingExamples.length).toBeCloseTo(1, 4);
    // w_j · count_j is the same for every target item.
    const products = new Set<string>();
    const firstOf = new Map<number, number>();
    model.trainingExamples.forEach((e, i) => firstOf.set(e.target, firstOf.get(e.target) ?? i));
    for (const [j, i] of firstOf) products.add((weightOf(i) * model.targetCounts[j]).toPrecision(5));
    expect(products.size).toBe(1);
    model.dispose();
    // IDW's hook replaces them, rescaled to mean 1.
    const idw = new (await weightedTwoTowerClass({ weighting: "idw", seed: 5 }))(data);
    idw.setItemWeights(new Float32Array(data.numItems + 1).fill(3));
    expect(idw.lossWeight(makeBatch(idw.trainingExamples, [0], data.history))).toBeCloseTo(1, 5);
    idw.dispose();
  });

  it("trains with sampled negatives and the disagreement term without leaking tensors", async () => {
    const model = await twoTower({
      user: multiInterest(3, 16, "disagreement = 0.1 "),
      item: "item_tower(tiny) { embedding = 16  layers = [32, 16] }",
      loss: "sampled_softmax(negatives: popularity, count: 8, logq: true, temperature: 0.1)",
      seed: 6,
    });
    const batch = makeBatch(
      model.trainingExamples,
      Array.from({ length: 16 }, (_, i) => i),
      data.history,
    );
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

  it("is never built with score = dot over several interests, or towers of different widths (the checker rejects them)", () => {
    expect(twoTowerErrors({ user: multiInterest(3), score: "dot" }).join("\n")).toMatch(/max_interest|interest/);
    expect(twoTowerErrors({ user: multiInterest(1, 8), item: "item_tower(tiny) { embedding = 16 }" }).length).toBeGreaterThan(0);
    expect(twoTowerErrors({})).toEqual([]);
  });
});
