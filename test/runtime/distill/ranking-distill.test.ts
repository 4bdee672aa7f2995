import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ensureGradients } from "../../../src/runtime/backend/register-gradients.js";
import { selectBackend } from "../../../src/runtime/backend/select-backend.js";
import { makeBatch } from "../../../src/runtime/data/batching.js";
import { RankingDistillModel } from "../../../src/runtime/distill/ranking-distill.js";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import { trainModel } from "../../../src/runtime/pipeline/train-model.js";
import { Rng } from "../../../src/runtime/random.js";
import { rankingData, trainSpec } from "../ranking/fixtures.js";
import { generatedRanker, type RankingSettings } from "../ranking/ranking-program.js";
import { binaryTarget, type TeacherTransform } from "./teacher-targets.js";

let data: PreparedData;
let dir: string;
beforeAll(async () => {
  await selectBackend("wasm");
  await ensureGradients();
  data = await rankingData(0.1);
});
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "recspec-rank-distill-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const quiet = { progressStream: false as const, log: () => {} };
// A wider teacher and a smaller student with attention pooling, both of random-ID items.
const teacherConfig: RankingSettings = { item: "random_id(buckets: 64)", embedding: 32, layers: [32, 16] };
const studentConfig: RankingSettings = { item: "random_id(buckets: 64)", embedding: 8, layers: [8], pool: "attention" };
const rankingModel = (settings: RankingSettings, seed: number) => generatedRanker(data, { ...settings, seed });

function snapshot(model: { params: { variables(): Map<string, tf.Variable> } }): Map<string, Float32Array> {
  return new Map([...model.params.variables()].map(([k, v]) => [k, (v.dataSync() as Float32Array).slice()]));
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe("RankingDistillModel", () => {
  it("with alpha = 0 trains exactly like the plain student (bit for bit)", async () => {
    const spec = { ...trainSpec(1), epochs: null, steps: 4 };
    const teacher = await rankingModel(teacherConfig, 7);
    const plain = await rankingModel(studentConfig, 0);
    await trainModel(plain, data, spec, { runDir: path.join(dir, "plain"), ...quiet });
    const kd0 = new RankingDistillModel(await rankingModel(studentConfig, 0), teacher, { temperature: 3, alpha: 0, target: binaryTarget({ type: "full" }, 3) });
    await trainModel(kd0, data, spec, { runDir: path.join(dir, "kd0"), ...quiet });
    const kdHalf = new RankingDistillModel(await rankingModel(studentConfig, 0), teacher, {
      temperature: 3,
      alpha: 0.5,
      target: binaryTarget({ type: "full" }, 3),
    });
    const teacherBefore = snapshot(teacher);
    await trainModel(kdHalf, data, spec, { runDir: path.join(dir, "kd-half"), ...quiet });

    const a = snapshot(plain);
    const b = snapshot(kd0);
    const c = snapshot(kdHalf);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [name, values] of a) expect(b.get(name)).toEqual(values);
    // Not vacuous: the teacher term changes the update, and never the teacher.
    const changed = [...a.keys()].filter((name) => !tf.util.arraysEqual(a.get(name)!, c.get(name)!));
    expect(changed.length).toBeGreaterThan(0);
    for (const [name, values] of teacherBefore) expect(snapshot(teacher).get(name)).toEqual(values);
    [teacher, plain, kd0, kdHalf].forEach((m) => m.dispose());
  });

  for (const transform of [{ type: "full" }, { type: "label_smoothing", epsilon: 0.2 }] as TeacherTransform[]) {
    it(`computes (1−α)·BCE + α·τ²·KL(Bernoulli(p_t) ‖ Bernoulli(σ(z_s/τ))) on the student's pairs (${transform.type})`, async () => {
      const teacher = await rankingModel(teacherConfig, 3);
      const student = await rankingModel(studentConfig, 4);
      const tau = 2;
      const alpha = 0.7;
      const model = new RankingDistillModel(student, teacher, { temperature: tau, alpha, target: binaryTarget(transform, tau) });
      const batch = makeBatch(student.trainingExamples, [0, 5, 10, 15, 20, 25], student.historyLength);
      const before = tf.memory().numTensors;
      const got = model.loss(batch, { training: true, rng: new Rng(1) });
      expect(tf.memory().numTensors).toBe(before + 1);
      // The same pairs (same rng) scored by each model on its own.
      const { candidates, labels } = student.trainingCandidates(batch, { training: true, rng: new Rng(1) });
      const zs = tf.tidy(() => Array.from(student.candidateLogits(batch.histories, batch.size, candidates).dataSync()));
      const zt = tf.tidy(() => Array.from(teacher.candidateLogits(batch.histories, batch.size, candidates).dataSync()));
      let expected = 0;
      zs.forEach((z, k) => {
        const y = labels[k];
        const bce = -(y * Math.log(sigmoid(z)) + (1 - y) * Math.log(1 - sigmoid(z)));
        const p = transform.type === "full" ? sigmoid(zt[k] / tau) : (1 - 0.2) * y + 0.1;
        const q = sigmoid(z / tau);
        const kl = p * Math.log(p / q) + (1 - p) * Math.log((1 - p) / (1 - q));
        expected += ((1 - alpha) * bce + alpha * tau * tau * kl) / zs.length;
      });
      expect(labels.filter((y) => y === 1)).toHaveLength(6);
      expect(got.dataSync()[0]).toBeCloseTo(expected, 5);
      got.dispose();
      [teacher, model].forEach((m) => m.dispose());
    });
  }

  it("keeps the held-out loss the student's", async () => {
    const teacher = await rankingModel(teacherConfig, 3);
    const student = await rankingModel(studentConfig, 4);
    const model = new RankingDistillModel(student, teacher, { temperature: 2, alpha: 0.9, target: binaryTarget({ type: "label_smoothing", epsilon: 0.1 }, 2) });
    const batch = makeBatch(data.split.validation, [0, 1, 2, 3], student.historyLength);
    const a = model.loss(batch, { training: false, rng: new Rng(2) });
    const b = student.loss(batch, { training: false, rng: new Rng(2) });
    expect(a.dataSync()[0]).toBe(b.dataSync()[0]);
    tf.dispose([a, b]);
    [teacher, model].forEach((m) => m.dispose());
  });
});
