// A distilled two-tower student as generated programs hold it: the spec of two-tower-program.ts
// compiled and imported (a 32-d teacher, an 8-d student with logQ, its own temperature and
// inverse-frequency weights), trained through the runtime's TwoTowerDistillModel.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ensureGradients } from "../../../src/runtime/backend/register-gradients.js";
import { selectBackend } from "../../../src/runtime/backend/select-backend.js";
import { makeBatch, type Batch } from "../../../src/runtime/data/batching.js";
import type { InBatchStudent, InBatchTeacher } from "../../../src/runtime/distill/two-tower-distill.js";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import type { TrainAttributes } from "../../../src/ir/index.js";
import { trainModel } from "../../../src/runtime/pipeline/train-model.js";
import type { Run } from "../../../src/runtime/program/run.js";
import { Rng } from "../../../src/runtime/random.js";
import { ExampleWeights, targetCounts } from "../../../src/runtime/weighting/example-weights.js";
import { inverseFrequencyWeights } from "../../../src/runtime/weighting/inverse-frequency.js";
import { tinyData } from "../models/fixtures.js";
import { STUDENT_LOSS, TEACHER_LOSS, twoTowerProgram, type KdSettings } from "./two-tower-program.js";

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
const fakeRun: Run = {
  spec: "tiny_kd",
  specDir: ".",
  dir: ".",
  resume: false,
  stage: "run",
  backend: "wasm",
  matmul: "wasm",
  log: () => {},
  progress: process.stderr,
  startedAt: Date.now(),
};

function trainSpec(): TrainAttributes {
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
    checkpoint_minutes: 5,
    seed: 0,
  };
}

function snapshot(model: { params: { variables(): Map<string, tf.Variable> } }): Map<string, Float32Array> {
  return new Map([...model.params.variables()].map(([k, v]) => [k, (v.dataSync() as Float32Array).slice()]));
}

/** Eight examples whose targets include one item twice (rows 0 and 1), so a candidate is masked. */
function batchWithDuplicate(model: InBatchStudent): Batch {
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
 * s_ij / τ_model − [logQ] log p_j over the columns that are not a duplicate of row i's target,
 * each example weighted by the inverse frequency of its target.
 */
function expectedLoss(student: InBatchStudent, teacher: InBatchTeacher, batch: Batch, tau: number, alpha: number, transform: { epsilon?: number }): number {
  const targets = Array.from(batch.targets);
  const counts = targetCounts(student.trainingExamples, student.numItems);
  const total = counts.reduce((s, c) => s + c, 0);
  const logits = (m: InBatchTeacher, loss: { temperature: number; logq: boolean }) => {
    const scores = m.scoreItems(batch.histories, batch.size).arraySync();
    return scores.map((row) => targets.map((t) => row[t] / loss.temperature - (loss.logq ? Math.log(counts[t] / total) : 0)));
  };
  const weightsOf = new ExampleWeights(student.trainingExamples, student.numItems);
  weightsOf.set(inverseFrequencyWeights(counts));
  const zs = logits(student, STUDENT_LOSS);
  const zt = logits(teacher, TEACHER_LOSS);
  let hard = 0;
  let soft = 0;
  let weights = 0;
  targets.forEach((y, i) => {
    const cols = targets.map((_, j) => j).filter((j) => j === i || targets[j] !== y);
    const w = weightsOf.byItem![y];
    const s = cols.map((j) => zs[i][j]);
    hard += w * (lse(s) - zs[i][i]);
    const sTau = s.map((x) => x / tau);
    const tTau = cols.map((j) => zt[i][j] / tau);
    const eps = transform.epsilon;
    const p = eps === undefined ? tTau.map((x) => Math.exp(x - lse(tTau))) : cols.map((j) => (j === i ? 1 - eps : 0) + eps / cols.length);
    const logQ = sTau.map((x) => x - lse(sTau));
    soft += w * p.reduce((acc, pk, k) => acc + pk * (Math.log(pk) - logQ[k]), 0);
    weights += w;
  });
  return ((1 - alpha) * hard + alpha * tau * tau * soft) / weights;
}

/** The teacher, the plain student and the distilled one of a compiled program. */
async function models(settings: KdSettings) {
  const program = await twoTowerProgram(settings);
  const teacher = new program.Teacher(data);
  return { program, teacher, plain: new program.Plain(data), distilled: program.buildStudent(data, teacher, fakeRun) };
}

describe("TwoTowerDistillModel of a generated student", () => {
  it("with alpha = 0 trains exactly like the plain student (bit for bit, dropout and weights on)", async () => {
    const kd0 = await models({ temperature: 4, alpha: 0, transform: "full", dropout: 0.2 });
    const kdHalf = await models({ temperature: 4, alpha: 0.5, transform: "full", dropout: 0.2 });
    await trainModel(kd0.plain, data, trainSpec(), { runDir: path.join(dir, "plain"), ...quiet });
    await trainModel(kd0.distilled, data, trainSpec(), { runDir: path.join(dir, "kd0"), ...quiet });
    const teacherBefore = snapshot(kdHalf.teacher);
    await trainModel(kdHalf.distilled, data, trainSpec(), { runDir: path.join(dir, "kd-half"), ...quiet });

    const a = snapshot(kd0.plain);
    const b = snapshot(kd0.distilled);
    const c = snapshot(kdHalf.distilled);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [name, values] of a) expect(b.get(name)).toEqual(values);
    // Not vacuous: the teacher term changes the update, and never the teacher.
    const table = "item_tower/item_embedding/table";
    expect(a.has(table)).toBe(true);
    expect(c.get(table)).not.toEqual(a.get(table));
    for (const [name, values] of teacherBefore) expect(snapshot(kdHalf.teacher).get(name)).toEqual(values);
    [kd0, kdHalf].forEach((m) => [m.teacher, m.plain, m.distilled].forEach((x) => x.dispose()));
  });

  for (const [transform, parsed] of [
    ["full", {}],
    ["label_smoothing(epsilon: 0.2)", { epsilon: 0.2 }],
  ] as const) {
    it(`computes weighted (1−α)·CE + α·τ²·KL over the in-batch candidates, duplicates masked (${transform})`, async () => {
      const { teacher, plain, distilled } = await models({ temperature: 2, alpha: 0.7, transform });
      const batch = batchWithDuplicate(distilled.student);
      expect(batch.targets[0]).toBe(batch.targets[1]);
      const before = tf.memory().numTensors;
      const got = distilled.loss(batch, { training: true, rng: new Rng(1) });
      expect(tf.memory().numTensors).toBe(before + 1);
      expect(got.dataSync()[0]).toBeCloseTo(expectedLoss(distilled.student, teacher, batch, 2, 0.7, parsed), 4);
      got.dispose();
      [teacher, plain, distilled].forEach((m) => m.dispose());
    });
  }

  it("gives each transform a distribution over the row's candidates only", async () => {
    for (const transform of ["pt", "sim(rho: 0.5)", "topk(k: 3)"]) {
      const { teacher, plain, distilled } = await models({ temperature: 2, alpha: 0.5, transform });
      const batch = batchWithDuplicate(distilled.student);
      const rows = tf.tidy(() => distilled.teacherDistribution(batch).arraySync());
      expect(rows).toHaveLength(8);
      rows.forEach((row) => expect(row.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 5));
      // Rows 0 and 1 share a target: each is not a candidate of the other.
      expect(rows[0][1]).toBe(0);
      expect(rows[1][0]).toBe(0);
      [teacher, plain, distilled].forEach((m) => m.dispose());
    }
    // sim reads only the teacher's item vectors: the target's own column is its most similar.
    const { teacher, plain, distilled } = await models({ temperature: 2, alpha: 0.5, transform: "sim(rho: 0.1)" });
    const batch = batchWithDuplicate(distilled.student);
    const rows = tf.tidy(() => distilled.teacherDistribution(batch).arraySync());
    rows.forEach((row, i) => expect(row.indexOf(Math.max(...row))).toBe(i));
    [teacher, plain, distilled].forEach((m) => m.dispose());
  });

  it("keeps the held-out loss the student's plain in-batch CE", async () => {
    const { teacher, plain, distilled } = await models({ temperature: 3, alpha: 0.9, transform: "topk(k: 2)", dropout: 0.2 });
    const batch = batchWithDuplicate(distilled.student);
    const a = distilled.loss(batch, { training: false });
    const b = distilled.student.loss(batch, { training: false });
    const c = plain.loss(batch, { training: false });
    expect(a.dataSync()[0]).toBe(b.dataSync()[0]);
    // The plain model of the same seed is the same network.
    expect(c.dataSync()[0]).toBe(b.dataSync()[0]);
    tf.dispose([a, b, c]);
    [teacher, plain, distilled].forEach((m) => m.dispose());
  });
});
