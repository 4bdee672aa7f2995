import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureGradients } from "../../../src/runtime/backend/register-gradients.js";
import { selectBackend } from "../../../src/runtime/backend/select-backend.js";
import {
  binByTeacherConfidence,
  binByTeacherQuantile,
  gradientReweighting,
  outputSimilarity,
  pearson,
  similarityStructure,
  trueClassGradients,
} from "../../../src/runtime/distill/analysis.js";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import { expectTensorsClose } from "../../helpers/tf.js";
import { tinyData } from "../models/fixtures.js";
import { sasrec } from "../models/sasrec-program.js";
import { teacherTarget } from "./teacher-targets.js";

let data: PreparedData;
beforeAll(async () => {
  await selectBackend("wasm");
  await ensureGradients();
  data = await tinyData();
});

describe("true-class gradients at τ = 1", () => {
  it("measure q_y − p_y and q_y − 1 per example (hand-computed)", async () => {
    // Row 0: q = (1/3, 1/3, 1/3), p = (0, .5, .5), y = 1: KD −1/6, CE −2/3, ratio 1/4.
    // Row 1: z = (ln 2, 0, 0) → q = (.5, .25, .25), p = (.2, .3, .5), y = 0: KD .3, CE −.5, ratio .6.
    const z = tf.tensor2d([
      [0, 0, 0],
      [Math.log(2), 0, 0],
    ]);
    const p = tf.tensor2d([
      [0, 0.5, 0.5],
      [0.2, 0.3, 0.5],
    ]);
    const g = await trueClassGradients(z, p, Int32Array.from([1, 0]));
    expectTensorsClose(g.teacherProb, [0.5, 0.2], 1e-6);
    expectTensorsClose(g.studentProb, [1 / 3, 0.5], 1e-6);
    expectTensorsClose(g.kdGrad, [-1 / 6, 0.3], 1e-6);
    expectTensorsClose(g.ceGrad, [-2 / 3, -0.5], 1e-6);
    expectTensorsClose(g.ratio, [0.25, 0.6], 1e-6);
    tf.dispose([z, p]);
  });

  it("bin by teacher confidence", () => {
    const g = {
      teacherProb: Float32Array.from([0.5, 0.2, 0.05, 1]),
      studentProb: Float32Array.from([0.1, 0.1, 0.1, 0.1]),
      kdGrad: Float32Array.from([-0.4, -0.1, 0.05, -0.9]),
      ceGrad: Float32Array.from([-0.9, -0.9, -0.9, -0.9]),
      ratio: Float32Array.from([0.4 / 0.9, 0.1 / 0.9, 0.05 / 0.9, 1]),
    };
    const bins = binByTeacherConfidence(g, 2);
    // [0, .5): 0.2 and 0.05; [.5, 1]: 0.5 and 1 (the top edge belongs to the last bin).
    expect(bins.map((b) => b.count)).toEqual([2, 2]);
    expect(bins[0].meanTeacherProb).toBeCloseTo(0.125, 6);
    expect(bins[0].meanRatio).toBeCloseTo(0.15 / 0.9 / 2, 6);
    expect(bins[1].meanRatio).toBeCloseTo((0.4 / 0.9 + 1) / 2, 6);
    expect(bins[1].meanKdGrad).toBeCloseTo(0.65, 6);
    // Equal-count bins: {0.05, 0.2} and {0.5, 1}.
    const q = binByTeacherQuantile(g, 2);
    expect(q.map((b) => [b.count, b.from, b.to])).toEqual([
      [2, Math.fround(0.05), Math.fround(0.2)],
      [2, 0.5, 1],
    ]);
    expect(q[0].meanRatio).toBeCloseTo(bins[0].meanRatio!, 6);
    const empty = binByTeacherConfidence(g, 4)[1];
    expect(empty.count).toBe(0);
    expect(empty.meanRatio).toBeNull();
  });

  it("on models: bins count every example; label smoothing puts them all at one confidence", async () => {
    const teacher = await sasrec(data, { embedding: 16, layers: 2, seed: 1 });
    const student = await sasrec(data, { embedding: 8, seed: 2 });
    const pt = await gradientReweighting(student, teacher, teacherTarget({ type: "pt" }), data.split.train, { maxExamples: 50, batchSize: 16 });
    expect(pt.examples).toBe(50);
    expect(pt.bins.reduce((s, b) => s + b.count, 0)).toBe(50);
    expect(pt.quantileBins.map((b) => b.count)).toEqual(new Array(10).fill(5));
    // Untrained models: everything near uniform, q_y ≈ p_y ≈ 1/(N+1), so the ratio is small.
    for (const b of pt.bins) if (b.meanRatio !== null) expect(b.meanRatio).toBeLessThan(0.1);
    const ls = await gradientReweighting(student, teacher, teacherTarget({ type: "label_smoothing", epsilon: 0.1 }), data.split.train, { maxExamples: 40 });
    // p_y = 0.9 + 0.1/50 for every example: bin [0.9, 1.0).
    expect(ls.bins.map((b) => b.count)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 40]);
    expect(ls.bins[9].meanTeacherProb).toBeCloseTo(0.9 + 0.1 / data.numItems, 5);
    // Each example's ratio is (p_y − q_y)/(1 − q_y) ≈ 0.9 here.
    expect(ls.bins[9].meanRatio).toBeGreaterThan(0.85);
    [teacher, student].forEach((m) => m.dispose());
  });
});

describe("output-layer similarity structure", () => {
  it("cosine matrices and their correlation (hand-computed)", () => {
    // Teacher rows (D = 2): 1 = (1,0), 2 = (0,1), 3 = (1,1) → cos(1,2) = 0, cos(1,3) = cos(2,3) = 1/√2.
    const teacher = Float32Array.from([0, 0, 1, 0, 0, 1, 1, 1]);
    // Student rows (D = 3), unit vectors with cos(1,2) = cos(1,3) = .5, cos(2,3) = 0.
    const y = -0.25 / Math.sqrt(0.75);
    const student = Float32Array.from([0, 0, 0, 1, 0, 0, 0.5, Math.sqrt(0.75), 0, 0.5, y, Math.sqrt(1 - 0.25 - y * y)]);
    const s = similarityStructure(teacher, 2, student, 3, [1, 2, 3]);
    expectTensorsClose(s.teacher.flat(), [1, 0, 0.7071, 0, 1, 0.7071, 0.7071, 0.7071, 1], 1e-4);
    expectTensorsClose(s.student.flat(), [1, 0.5, 0.5, 0.5, 1, 0, 0.5, 0, 1], 1e-4);
    // Upper triangles (0, .707, .707) and (.5, .5, 0): Pearson −1/2.
    expect(s.correlation).toBeCloseTo(-0.5, 6);
    expect(s.meanTeacherCosine).toBeCloseTo((2 * Math.SQRT1_2) / 3, 6);
    // A scaled copy in more dimensions has the same geometry: correlation 1.
    const copy = Float32Array.from([0, 0, 0, 3, 0, 0, 0, 3, 0, 3, 3, 0]);
    expect(similarityStructure(teacher, 2, copy, 3, [1, 2, 3]).correlation).toBeCloseTo(1, 6);
    expect(pearson([1, 2, 3], [2, 4, 7])).toBeCloseTo(0.99339927, 6);
  });

  it("samples trained items by popularity from two models", async () => {
    const teacher = await sasrec(data, { embedding: 16, seed: 1 });
    const student = await sasrec(data, { embedding: 8, seed: 2 });
    const s = await outputSimilarity(teacher, student, { sample: 12, seed: 3, counts: data.trainCounts });
    expect(s.items.length).toBe(12);
    expect(new Set(s.items).size).toBe(12);
    for (let i = 1; i < 12; i++) expect(data.trainCounts[s.items[i - 1]]).toBeGreaterThanOrEqual(data.trainCounts[s.items[i]]);
    expect(s.teacher.length).toBe(12);
    expect(s.teacher[0][0]).toBeCloseTo(1, 4);
    // The same model against itself: identical structure.
    expect((await outputSimilarity(teacher, teacher, { sample: 12, seed: 3 })).correlation).toBeCloseTo(1, 6);
    [teacher, student].forEach((m) => m.dispose());
  });
});
