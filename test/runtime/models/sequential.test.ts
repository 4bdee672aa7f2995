import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { beforeAll, describe, expect, it } from "vitest";
import { makeBatch } from "../../../src/runtime/data/batching.js";
import { INFERENCE } from "../../../src/runtime/layers/dropout.js";
import { targetPositions } from "../../../src/runtime/models/target-positions.js";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import { Rng } from "../../../src/runtime/random.js";
import { useCpuBackend } from "../../helpers/tf.js";
import { tinyData } from "./fixtures.js";
import { sasrec, sasrecSpec } from "./sasrec-program.js";
import { compileSpec } from "../../../src/compiler/compile.js";

let data: PreparedData;
beforeAll(async () => {
  await useCpuBackend();
  data = await tinyData();
});

describe("targetPositions", () => {
  it("shifts inputs by one, ends with the example target and skips padded inputs", () => {
    // Two rows of L = 4: [0, 0, 5, 6] → target 7; [1, 2, 3, 4] → target 9.
    const ids = Int32Array.from([0, 0, 5, 6, 1, 2, 3, 4]);
    const all = targetPositions(ids, Int32Array.from([7, 9]), 2, 4, "all");
    expect(Array.from(all.rows)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(Array.from(all.targets)).toEqual([6, 7, 2, 3, 4, 9]);
    const last = targetPositions(ids, Int32Array.from([7, 9]), 2, 4, "last");
    expect(Array.from(last.rows)).toEqual([3, 7]);
    expect(Array.from(last.targets)).toEqual([7, 9]);
  });
});

// SASRec as the compiler generates it (model.ts of a tiny `sequential` spec).
describe("generated sequential model", () => {
  it("scores the whole catalogue plus the pad column for each history", async () => {
    const model = await sasrec(data, { seed: 1 });
    const batch = makeBatch(data.split.test, [0, 1, 2], data.history);
    const scores = model.scoreItems(batch.histories, 3);
    expect(scores.shape).toEqual([3, data.numItems + 1]);
    expect(Array.from(scores.dataSync()).every(Number.isFinite)).toBe(true);
    scores.dispose();
    model.dispose();
  });

  it("starts near the uniform loss ln(N + 1)", async () => {
    const model = await sasrec(data, { seed: 2 });
    const batch = makeBatch(
      data.split.train,
      Array.from({ length: 64 }, (_, i) => i),
      data.history,
    );
    const loss = model.loss(batch, { training: true, rng: new Rng(0) });
    expect(loss.dataSync()[0]).toBeCloseTo(Math.log(data.numItems + 1), 1);
    loss.dispose();
    model.dispose();
  });

  it("is causal: a position's state ignores later items", async () => {
    const model = await sasrec(data, { layers: 2, seed: 3 });
    const t = data.history;
    const a = Int32Array.from({ length: t }, (_, i) => 1 + i);
    const b = a.slice();
    b[t - 1] = 40;
    b[t - 2] = 41;
    const ha = model.encode(a, 1, INFERENCE).hidden;
    const hb = model.encode(b, 1, INFERENCE).hidden;
    const e = 16;
    const early = (h: tf.Tensor3D) => Array.from(tf.slice(h, [0, 0, 0], [1, t - 2, e]).dataSync());
    expect(early(hb)).toEqual(early(ha));
    // The changed positions themselves do differ (the test would pass vacuously otherwise).
    const lastA = Array.from(tf.slice(ha, [0, t - 1, 0], [1, 1, e]).dataSync());
    const lastB = Array.from(tf.slice(hb, [0, t - 1, 0], [1, 1, e]).dataSync());
    expect(lastA).not.toEqual(lastB);
    tf.dispose([ha, hb]);
    model.dispose();
  });

  it("gives the same scores whatever padding the batch adds on the left", async () => {
    const model = await sasrec(data, { seed: 4 });
    const t = data.history;
    const short = new Int32Array(t);
    short.set([3, 4, 5], t - 3);
    const long = Int32Array.from({ length: t }, (_, i) => 1 + (i % 7));
    const alone = model.scoreItems(short, 1);
    const together = model.scoreItems(Int32Array.from([...short, ...long]), 2);
    const first = tf.slice(together, [0, 0], [1, data.numItems + 1]);
    const diff = tf.max(tf.abs(tf.sub(alone, first))).dataSync()[0];
    expect(diff).toBeLessThan(1e-4);
    tf.dispose([alone, together, first]);
    model.dispose();
  });

  it("trains with every loss variant without leaking tensors", async () => {
    const variants = [
      {},
      { positions: "last" as const },
      { loss: "sampled_softmax(negatives: in_batch, count: 10, logq: true, temperature: 1)" },
      { loss: "sampled_softmax(negatives: uniform, count: 10, logq: true, temperature: 0.5)" },
      { loss: "sampled_softmax(negatives: popularity, count: 10, logq: true, temperature: 1)" },
      { loss: "softmax(label_smoothing: 0.1)" },
      { loss: "gbce(negatives: 10, t: 0.75)" },
      { dropout: 0.3 },
    ];
    const batch = makeBatch(
      data.split.train,
      Array.from({ length: 32 }, (_, i) => i),
      data.history,
    );
    for (const settings of variants) {
      const model = await sasrec(data, { ...settings, seed: 5 });
      const vars = [...model.params.variables().values()];
      const step = () => {
        const { value, grads } = tf.variableGrads(() => model.loss(batch, { training: true, rng: new Rng(1) }), vars);
        const v = value.dataSync()[0];
        const gradCount = Object.values(grads).filter((g) => g !== null).length;
        tf.dispose([value, ...Object.values(grads)]);
        return { v, gradCount };
      };
      const first = step();
      const before = tf.memory().numTensors;
      const second = step();
      expect(tf.memory().numTensors).toBe(before);
      expect(Number.isFinite(first.v)).toBe(true);
      expect(second.v).toBe(first.v);
      // The item table, positions and encoder layers all receive gradient.
      expect(first.gradCount).toBe(vars.length);
      model.dispose();
    }
  });

  it("counts the loss denominator as the positions that have a target", async () => {
    const model = await sasrec(data, { seed: 6 });
    const last = await sasrec(data, { positions: "last", seed: 6 });
    const batch = makeBatch(data.split.train, [0, 1, 2, 3], data.history);
    const expected = [0, 1, 2, 3].reduce((s, i) => s + data.split.train[i].history.length, 0);
    expect(model.lossWeight(batch)).toBe(expected);
    expect(last.lossWeight(batch)).toBe(4);
    model.dispose();
    last.dispose();
  });

  it("is refused at compile time with positions = all and no causal encoder", () => {
    const result = compileSpec("tiny_sasrec.recspec", { readFile: () => undefined }, { entryText: sasrecSpec({ causal: false }) });
    expect(
      result.diagnostics
        .filter((d) => d.severity === "error")
        .map((d) => d.message)
        .join("\n"),
    ).toMatch(/causal/);
  });
});
