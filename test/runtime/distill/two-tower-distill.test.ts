import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ensureGradients } from "../../../src/runtime/backend/register-gradients.js";
import { selectBackend } from "../../../src/runtime/backend/select-backend.js";
import { makeBatch, type Batch } from "../../../src/runtime/data/batching.js";
import type { TeacherTransform } from "../../../src/runtime/distill/transforms.js";
import { TwoTowerDistillModel } from "../../../src/runtime/distill/two-tower-distill.js";
import type { TwoTowerConfig, UserTowerSpec } from "../../../src/runtime/models/config.js";
import { twoTowerModel, type TwoTowerModel } from "../../../src/runtime/models/two-tower.js";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import type { TrainSpec } from "../../../src/runtime/pipeline/specs.js";
import { trainModel } from "../../../src/runtime/pipeline/train-model.js";
import { Rng } from "../../../src/runtime/random.js";
import { itemTowerSpec, multiInterestTower, tinyData, twoTowerConfig } from "../models/fixtures.js";

let data: PreparedData;
let dir: string;
beforeAll(async () => {
  await selectBackend("wasm");
  await ensureGradients();
  data = await tinyData();
});
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "recspec-tt-distill-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const quiet = { progressStream: false as const, log: () => {} };
const inBatch = (temperature: number, logq: boolean): TwoTowerConfig["loss"] => ({ type: "sampled_softmax", negatives: "in_batch", count: 10, logq, temperature });

/** A multi-interest user tower with attention dropout, so the training forward pass draws randomness. */
function userTower(interests: number, embedding: number, dropout: number): UserTowerSpec {
  const spec = multiInterestTower(interests, embedding);
  return { type: spec.type, attributes: { ...spec.attributes, attention: { type: "self_attention", layers: 1, heads: 1, dropout } } } as UserTowerSpec;
}

// A bigger teacher (32-d, 3 interests, its own temperature and no logQ) and a smaller student
// (8-d towers) with logQ and inverse-frequency weights.
const teacherTowers = { user: userTower(3, 32, 0), item: itemTowerSpec(32) };
const studentTowers = (dropout: number) => ({ user: userTower(2, 8, dropout), item: itemTowerSpec(8) });
const teacherConfig = twoTowerConfig({ loss: inBatch(1, false) });
const studentConfig = twoTowerConfig({ loss: inBatch(0.5, true), weighting: { type: "inverse_frequency" } });

function trainSpec(): TrainSpec {
  return {
    optimizer: { type: "adam", lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
    schedule: { type: "constant" },
    epochs: null,
    steps: 4,
    batch: 32,
    micro_batch: null,
    clip: 0,
    early_stop: null,
    patience: 3,
    checkpoint_every: 1000,
    seed: 0,
  };
}

function snapshot(model: { params: { variables(): Map<string, tf.Variable> } }): Map<string, Float32Array> {
  return new Map([...model.params.variables()].map(([k, v]) => [k, (v.dataSync() as Float32Array).slice()]));
}

/** Eight examples whose targets include one item twice (rows 0 and 1), so a candidate is masked. */
function batchWithDuplicate(model: TwoTowerModel): Batch {
  const examples = model.trainingExamples;
  const first = examples.findIndex((e, i) => examples.some((f, j) => j > i && f.target === e.target));
  const second = examples.findIndex((f, j) => j > first && f.target === examples[first].target);
  const others: number[] = [];
  const seen = new Set([examples[first].target]);
  examples.forEach((e, i) => {
    if (others.length < 6 && !seen.has(e.target)) {
      seen.add(e.target);
      others.push(i);
    }
  });
  return makeBatch(examples, [first, second, ...others], data.history);
}

const lse = (xs: number[]) => {
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
};

/**
 * The distillation loss recomputed on the host from the models' catalogue scores: in-batch logits
 * s_ij / τ_model − [logQ] log p_j over the columns that are not a duplicate of row i's target.
 */
function expectedLoss(student: TwoTowerModel, teacher: TwoTowerModel, batch: Batch, tau: number, alpha: number, transform: TeacherTransform): number {
  const targets = Array.from(batch.targets);
  const logits = (m: TwoTowerModel) => {
    const scores = m.scoreItems(batch.histories, batch.size).arraySync();
    const loss = m.config.loss as { temperature: number; logq: boolean };
    const total = m.targetCounts.reduce((s, c) => s + c, 0);
    return scores.map((row) => targets.map((t) => row[t] / loss.temperature - (loss.logq ? Math.log(m.targetCounts[t] / total) : 0)));
  };
  const zs = logits(student);
  const zt = logits(teacher);
  let hard = 0;
  let soft = 0;
  let weights = 0;
  targets.forEach((y, i) => {
    const cols = targets.map((_, j) => j).filter((j) => j === i || targets[j] !== y);
    const w = student.itemWeights![y];
    const s = cols.map((j) => zs[i][j]);
    hard += w * (lse(s) - zs[i][i]);
    const sTau = s.map((x) => x / tau);
    const tTau = cols.map((j) => zt[i][j] / tau);
    const p =
      transform.type === "full"
        ? tTau.map((x) => Math.exp(x - lse(tTau)))
        : cols.map((j) => (transform.type === "label_smoothing" ? (j === i ? 1 - transform.epsilon : 0) + transform.epsilon / cols.length : NaN));
    const logQ = sTau.map((x) => x - lse(sTau));
    soft += w * p.reduce((acc, pk, k) => acc + pk * (Math.log(pk) - logQ[k]), 0);
    weights += w;
  });
  return ((1 - alpha) * hard + alpha * tau * tau * soft) / weights;
}

describe("TwoTowerDistillModel", () => {
  it("with alpha = 0 trains exactly like the plain student (bit for bit, dropout and weights on)", async () => {
    const teacher = twoTowerModel(teacherConfig, teacherTowers, data, 7, "teacher");
    const plain = twoTowerModel(studentConfig, studentTowers(0.2), data, 0);
    await trainModel(plain, data, trainSpec(), { runDir: path.join(dir, "plain"), ...quiet });
    const kd0 = new TwoTowerDistillModel(twoTowerModel(studentConfig, studentTowers(0.2), data, 0), teacher, { temperature: 4, alpha: 0, transform: { type: "full" } });
    await trainModel(kd0, data, trainSpec(), { runDir: path.join(dir, "kd0"), ...quiet });
    const kdHalf = new TwoTowerDistillModel(twoTowerModel(studentConfig, studentTowers(0.2), data, 0), teacher, { temperature: 4, alpha: 0.5, transform: { type: "full" } });
    const teacherBefore = snapshot(teacher);
    await trainModel(kdHalf, data, trainSpec(), { runDir: path.join(dir, "kd-half"), ...quiet });

    const a = snapshot(plain);
    const b = snapshot(kd0);
    const c = snapshot(kdHalf);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [name, values] of a) expect(b.get(name)).toEqual(values);
    // Not vacuous: the teacher term changes the update, and never the teacher.
    const table = "item_tower/item_embedding/table";
    expect(a.has(table)).toBe(true);
    expect(c.get(table)).not.toEqual(a.get(table));
    for (const [name, values] of teacherBefore) expect(snapshot(teacher).get(name)).toEqual(values);
    [teacher, plain, kd0, kdHalf].forEach((m) => m.dispose());
  });

  for (const transform of [{ type: "full" }, { type: "label_smoothing", epsilon: 0.2 }] as TeacherTransform[]) {
    it(`computes weighted (1−α)·CE + α·τ²·KL over the in-batch candidates, duplicates masked (${transform.type})`, () => {
      const teacher = twoTowerModel(teacherConfig, teacherTowers, data, 3, "teacher");
      const student = twoTowerModel(studentConfig, studentTowers(0), data, 4);
      const model = new TwoTowerDistillModel(student, teacher, { temperature: 2, alpha: 0.7, transform });
      const batch = batchWithDuplicate(student);
      expect(batch.targets[0]).toBe(batch.targets[1]);
      const before = tf.memory().numTensors;
      const got = model.loss(batch, { training: true, rng: new Rng(1) });
      expect(tf.memory().numTensors).toBe(before + 1);
      expect(got.dataSync()[0]).toBeCloseTo(expectedLoss(student, teacher, batch, 2, 0.7, transform), 4);
      got.dispose();
      [teacher, model].forEach((m) => m.dispose());
    });
  }

  it("gives each transform a distribution over the row's candidates only", () => {
    const teacher = twoTowerModel(teacherConfig, teacherTowers, data, 3, "teacher");
    const student = twoTowerModel(studentConfig, studentTowers(0), data, 4);
    const batch = batchWithDuplicate(student);
    for (const transform of [{ type: "pt" }, { type: "sim", rho: 0.5 }, { type: "topk", k: 3 }] as TeacherTransform[]) {
      const model = new TwoTowerDistillModel(student, teacher, { temperature: 2, alpha: 0.5, transform });
      const rows = tf.tidy(() => model.teacherDistribution(batch).arraySync());
      expect(rows).toHaveLength(8);
      rows.forEach((row) => expect(row.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 5));
      // Rows 0 and 1 share a target: each is not a candidate of the other.
      expect(rows[0][1]).toBe(0);
      expect(rows[1][0]).toBe(0);
    }
    // sim reads only the teacher's item vectors: the target's own column is its most similar.
    const sim = new TwoTowerDistillModel(student, teacher, { temperature: 2, alpha: 0.5, transform: { type: "sim", rho: 0.1 } });
    const rows = tf.tidy(() => sim.teacherDistribution(batch).arraySync());
    rows.forEach((row, i) => expect(row.indexOf(Math.max(...row))).toBe(i));
    [teacher, student].forEach((m) => m.dispose());
  });

  it("keeps the held-out loss the student's plain in-batch CE, and rejects drawn negatives", () => {
    const teacher = twoTowerModel(teacherConfig, teacherTowers, data, 3, "teacher");
    const student = twoTowerModel(studentConfig, studentTowers(0.2), data, 4);
    const model = new TwoTowerDistillModel(student, teacher, { temperature: 3, alpha: 0.9, transform: { type: "topk", k: 2 } });
    const batch = batchWithDuplicate(student);
    const a = model.loss(batch, { training: false });
    const b = student.loss(batch, { training: false });
    expect(a.dataSync()[0]).toBe(b.dataSync()[0]);
    tf.dispose([a, b]);
    const uniform = twoTowerModel(twoTowerConfig({ loss: { type: "sampled_softmax", negatives: "uniform", count: 5, logq: false, temperature: 1 } }), studentTowers(0), data, 1);
    expect(() => new TwoTowerDistillModel(uniform, teacher, { temperature: 2, alpha: 0.5, transform: { type: "full" } })).toThrow(/in_batch/);
    [teacher, model, uniform].forEach((m) => m.dispose());
  });
});
