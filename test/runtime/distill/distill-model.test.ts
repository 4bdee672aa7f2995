import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { selectBackend } from "../../../src/runtime/backend/select-backend.js";
import { ensureGradients } from "../../../src/runtime/backend/register-gradients.js";
import { makeBatch } from "../../../src/runtime/data/batching.js";
import { DistillModel } from "../../../src/runtime/distill/distill-model.js";
import { buildTeacherCache, TeacherCache, teacherFingerprint } from "../../../src/runtime/distill/teacher-cache.js";
import { INFERENCE } from "../../../src/runtime/layers/dropout.js";
import { targetPositions } from "../../../src/runtime/models/target-positions.js";
import { usedLength } from "../../../src/runtime/models/sequence-input.js";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import type { TrainAttributes } from "../../../src/ir/index.js";
import { trainModel } from "../../../src/runtime/pipeline/train-model.js";
import { Rng } from "../../../src/runtime/random.js";
import { tinyData } from "../models/fixtures.js";
import { generatedSasrec, type GeneratedSasrec, type SasrecSettings } from "../models/sasrec-program.js";
import { teacherTarget, type TeacherTransform } from "./teacher-targets.js";

let data: PreparedData;
let dir: string;
beforeAll(async () => {
  await selectBackend("wasm");
  await ensureGradients();
  data = await tinyData();
});
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "recspec-distill-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A DistillModel with the settings the compiler would write for these two networks. */
function distill(
  student: GeneratedSasrec,
  teacher: GeneratedSasrec,
  base: { temperature: number; alpha: number; transform: TeacherTransform },
  cache: TeacherCache | null = null,
): DistillModel {
  const loss = student.attributes.loss;
  const settings = {
    temperature: base.temperature,
    alpha: base.alpha,
    target: teacherTarget(base.transform),
    positions: student.attributes.positions,
    labelSmoothing: loss.type === "softmax" ? loss.label_smoothing : 0,
    teacherEncoder: teacher.encoder,
  };
  return new DistillModel(student.model, teacher.model, settings, cache);
}

const teacherConfig: SasrecSettings = { embedding: 24, layers: 2 };
const studentConfig: SasrecSettings = { embedding: 8, dropout: 0.2 };
/** The generated SASRec of these settings, its weights from `seed`. */
const sasrecOf = (settings: SasrecSettings, seed: number) => generatedSasrec(data, { ...settings, seed });
const quiet = { progressStream: false as const, log: () => {} };

function trainSpec(overrides: Partial<TrainAttributes> = {}): TrainAttributes {
  return {
    optimizer: { type: "adam", lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
    schedule: { type: "constant" },
    epochs: null,
    steps: 4,
    batch: 64,
    micro_batch: null,
    clip: 0,
    early_stop: null,
    patience: 3,
    checkpoint_every: 1000,
    checkpoint_minutes: 5,
    seed: 0,
    ...overrides,
  };
}

function snapshot(model: { params: { variables(): Map<string, tf.Variable> } }): Map<string, Float32Array> {
  return new Map([...model.params.variables()].map(([k, v]) => [k, (v.dataSync() as Float32Array).slice()]));
}

describe("DistillModel", () => {
  it("with alpha = 0 trains exactly like the plain student (bit for bit, dropout on)", async () => {
    const teacher = await sasrecOf(teacherConfig, 7);
    const plain = (await sasrecOf(studentConfig, 0)).model;
    await trainModel(plain, data, trainSpec(), { runDir: path.join(dir, "plain"), ...quiet });
    const kd0 = distill(await sasrecOf(studentConfig, 0), teacher, { temperature: 4, alpha: 0, transform: { type: "full" } });
    await trainModel(kd0, data, trainSpec(), { runDir: path.join(dir, "kd0"), ...quiet });
    const kdHalf = distill(await sasrecOf(studentConfig, 0), teacher, { temperature: 4, alpha: 0.5, transform: { type: "full" } });
    const teacherBefore = snapshot(teacher.model);
    await trainModel(kdHalf, data, trainSpec(), { runDir: path.join(dir, "kd-half"), ...quiet });

    const a = snapshot(plain);
    const b = snapshot(kd0);
    const c = snapshot(kdHalf);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [name, values] of a) expect(b.get(name)).toEqual(values);
    // Not vacuous: the teacher term does change the update…
    const table = "item_embedding/table";
    expect(c.get(table)).not.toEqual(a.get(table));
    // …and never the teacher.
    for (const [name, values] of teacherBefore) expect(snapshot(teacher.model).get(name)).toEqual(values);
    [teacher.model, plain, kd0, kdHalf].forEach((m) => m.dispose());
  });

  it("computes (1−α)·CE + α·τ²·KL(p_τ ‖ q_τ) with the padding column out of the teacher", async () => {
    // Last positions only and no dropout, so scoreItems gives exactly the logits the loss sees.
    const teacher = await sasrecOf(teacherConfig, 3);
    const student = await sasrecOf({ embedding: 8, positions: "last" }, 4);
    const tau = 2;
    const alpha = 0.7;
    const model = distill(student, teacher, { temperature: tau, alpha, transform: { type: "full" } });
    const batch = makeBatch(data.split.train, [0, 1, 2, 3, 4, 5], data.history);
    const got = model.loss(batch, { training: true, rng: new Rng(1) });
    const zs = student.model.scoreItems(batch.histories, batch.size).arraySync();
    const zt = teacher.model.scoreItems(batch.histories, batch.size).arraySync();
    let expected = 0;
    for (let b = 0; b < batch.size; b++) {
      const y = batch.targets[b];
      const lse = (z: number[], from: number) => {
        const m = Math.max(...z.slice(from));
        return m + Math.log(z.slice(from).reduce((s, x) => s + Math.exp(x - m), 0));
      };
      const ce = lse(zs[b], 0) - zs[b][y];
      // Teacher over items 1..N only; student's q_τ over all columns (it must learn p_0 = 0).
      const ts = zt[b].map((x) => x / tau);
      const ss = zs[b].map((x) => x / tau);
      const lt = lse(ts, 1);
      const lq = lse(ss, 0);
      let kl = 0;
      for (let k = 1; k < ts.length; k++) {
        const p = Math.exp(ts[k] - lt);
        kl += p * (ts[k] - lt - (ss[k] - lq));
      }
      expected += ((1 - alpha) * ce + alpha * tau * tau * kl) / batch.size;
    }
    expect(got.dataSync()[0]).toBeCloseTo(expected, 4);
    got.dispose();
    [teacher.model, model].forEach((m) => m.dispose());
  });

  it("keeps the held-out loss the student's plain CE", async () => {
    const teacher = await sasrecOf(teacherConfig, 3);
    const student = await sasrecOf(studentConfig, 4);
    const model = distill(student, teacher, { temperature: 3, alpha: 0.9, transform: { type: "topk", k: 5 } });
    const batch = makeBatch(data.split.validation, [0, 1, 2, 3], data.history);
    const a = model.loss(batch, { training: false });
    const b = student.model.loss(batch, { training: false });
    expect(a.dataSync()[0]).toBe(b.dataSync()[0]);
    tf.dispose([a, b]);
    [teacher.model, model].forEach((m) => m.dispose());
  });

  it("rejects a bad α or τ", async () => {
    const teacher = await sasrecOf(teacherConfig, 3);
    const student = await sasrecOf(studentConfig, 1);
    expect(() => distill(student, teacher, { temperature: 0, alpha: 0.5, transform: { type: "full" } })).toThrow(/temperature/);
    expect(() => distill(student, teacher, { temperature: 2, alpha: 1.5, transform: { type: "full" } })).toThrow(/alpha/);
    [teacher.model, student.model].forEach((m) => m.dispose());
  });
});

describe("precomputed teacher", () => {
  function teacherRows(teacher: GeneratedSasrec["model"], indices: number[]) {
    const batch = makeBatch(data.split.train, indices, data.history);
    const length = usedLength(batch.histories, batch.size, batch.length);
    const { hidden, ids } = teacher.encode(batch.histories, batch.size, INFERENCE);
    const { rows } = targetPositions(ids, batch.targets, batch.size, length, "all");
    const e = teacherConfig.embedding!;
    const flat = hidden.dataSync();
    hidden.dispose();
    const direct = new Float32Array(rows.length * e);
    rows.forEach((r, i) => direct.set(flat.subarray(r * e, (r + 1) * e), i * e));
    return { batch, length, rows, direct };
  }

  it("holds the teacher's hidden state of every trained position, and round-trips through disk", async () => {
    const teacher = (await sasrecOf(teacherConfig, 5)).model;
    const examples = data.split.train;
    const cache = await buildTeacherCache(teacher, examples, "all", 37);
    const expectedRows = examples.reduce((s, e) => s + Math.min(e.history.length, data.history), 0);
    expect(cache.rows).toBe(expectedRows);

    // A batch in another order and of another trimmed length than the cache's batches.
    const { batch, length, rows, direct } = teacherRows(teacher, [5, 200, 17, 3, 299, 42]);
    const looked = cache.lookup(batch, length, rows);
    let worst = 0;
    for (let i = 0; i < direct.length; i++) worst = Math.max(worst, Math.abs(looked[i] - direct[i]));
    expect(worst).toBeLessThan(1e-5);

    const file = path.join(dir, "sub", "teacher-cache.bin");
    cache.save(file);
    const fingerprint = await teacherFingerprint(teacher, examples, "all");
    const loaded = TeacherCache.load(file, fingerprint, examples, data.history)!;
    expect(loaded).not.toBeNull();
    expect(loaded.hidden).toEqual(cache.hidden);
    expect(loaded.offsets).toEqual(cache.offsets);
    expect(loaded.lookup(batch, length, rows)).toEqual(looked);
    // No temp file left beside it.
    expect(fs.readdirSync(path.dirname(file))).toEqual(["teacher-cache.bin"]);

    // A changed teacher makes the file stale.
    const table = teacher.params.variables().get("item_embedding/table")!;
    table.assign(tf.add(table, 0.01));
    expect(TeacherCache.load(file, await teacherFingerprint(teacher, examples, "all"), examples, data.history)).toBeNull();
    teacher.dispose();
  });

  it("gives the same distillation loss as running the teacher", async () => {
    const teacher = await sasrecOf(teacherConfig, 6);
    const cfg: SasrecSettings = { embedding: 8 };
    const cache = await buildTeacherCache(teacher.model, data.split.train, "all");
    const settings = { temperature: 3, alpha: 0.8, transform: { type: "pt" } as const };
    const live = distill(await sasrecOf(cfg, 1), teacher, settings);
    const cached = distill(await sasrecOf(cfg, 1), teacher, settings, cache);
    const batch = makeBatch(
      data.split.train,
      Array.from({ length: 32 }, (_, i) => 3 * i),
      data.history,
    );
    const a = live.loss(batch, { training: true, rng: new Rng(2) });
    const b = cached.loss(batch, { training: true, rng: new Rng(2) });
    expect(b.dataSync()[0]).toBeCloseTo(a.dataSync()[0], 5);
    // The soft term is there: α·τ²·KL moves the loss well away from the hard term alone.
    const hard = distill(await sasrecOf(cfg, 1), teacher, { ...settings, alpha: 0 }).loss(batch, { training: true, rng: new Rng(2) });
    expect(Math.abs(a.dataSync()[0] - hard.dataSync()[0])).toBeGreaterThan(0.01);
    tf.dispose([a, b, hard]);
    expect(() => cache.lookup(makeBatch(data.split.test, [0], data.history), data.history, Int32Array.from([data.history - 1]))).toThrow(/no cached example/);
    [teacher.model, live, cached].forEach((m) => m.dispose());
  });
});
