import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { evaluateModel } from "../../../src/runtime/pipeline/evaluate-model.js";
import { loadModel, modelDir } from "../../../src/runtime/pipeline/model-weights.js";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import type { TrainAttributes } from "../../../src/ir/index.js";
import { trainModel } from "../../../src/runtime/pipeline/train-model.js";
import { loadWeights } from "../../../src/runtime/train/checkpoint.js";
import { readMetrics } from "../../../src/runtime/train/metrics-log.js";
import { selectBackend } from "../../../src/runtime/backend/select-backend.js";
import { tinyData } from "../models/fixtures.js";
import { sasrec } from "../models/sasrec-program.js";
import { multiInterest, twoTowerClass } from "../models/two-tower-program.js";

let data: PreparedData;
let dir: string;
// The wasm backend, as in production: a training step of these tiny models takes ~50 ms there
// and ~1 s on the cpu reference backend.
beforeAll(async () => {
  await selectBackend("wasm");
  data = await tinyData();
});
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "recspec-train-model-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

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

const quiet = { progressStream: false as const, log: () => {} };
const losses = (runDir: string) =>
  readMetrics(path.join(runDir, "metrics.jsonl"))
    .filter((e) => e.name === "loss")
    .map((e) => e.value);

function weightsOf(runDir: string): Map<string, Float32Array> {
  const w = loadWeights(modelDir(runDir));
  const out = new Map([...w].map(([k, t]) => [k, t.dataSync() as Float32Array]));
  tf.dispose([...w.values()]);
  return out;
}

function maxDifference(a: Map<string, Float32Array>, b: Map<string, Float32Array>): number {
  let worst = 0;
  for (const [k, va] of a) {
    const vb = b.get(k)!;
    for (let i = 0; i < va.length; i++) worst = Math.max(worst, Math.abs(va[i] - vb[i]));
  }
  return worst;
}

describe("trainModel", () => {
  it("learns Markov data: test NDCG@10 clearly beats the popularity baseline", async () => {
    const model = await sasrec(data, { seed: 0 });
    const before = tf.memory().numTensors;
    const result = await trainModel(model, data, trainSpec({ steps: null, epochs: 15, early_stop: { metric: "ndcg", k: 10 }, patience: 3 }), {
      runDir: dir,
      ...quiet,
    });
    // Nothing leaks across a whole run (variables existed before it).
    expect(tf.memory().numTensors).toBe(before);
    expect(result.bestValidation?.metric).toBe("ndcg@10");
    const evaluation = await evaluateModel(model, data, {
      model: "sasrec",
      dataset: "tiny",
      split: "test",
      metrics: [{ metric: "ndcg", k: 10 }],
      slices: [{ type: "all" }],
      candidates: { type: "full" },
      exclude_history: false,
      baseline: true,
      baselines: null,
      bootstrap: 200,
    });
    const row = evaluation.rows[0];
    // The model's interval lies above the baseline's mean, with room to spare.
    expect(row.low).toBeGreaterThan(row.baseline!.value);
    expect(row.value).toBeGreaterThan(1.5 * row.baseline!.value);
    model.dispose();
  });

  it("repeats the same loss sequence for the same seed", async () => {
    const runs: number[][] = [];
    for (const run of ["a", "b"]) {
      const model = await sasrec(data, { dropout: 0.2, seed: 7 });
      await trainModel(model, data, trainSpec({ steps: 3, seed: 11 }), { runDir: path.join(dir, run), ...quiet });
      runs.push(losses(path.join(dir, run)));
      model.dispose();
    }
    expect(runs[0].length).toBe(3);
    expect(runs[1]).toEqual(runs[0]);
  });

  it("splits batches into micro-batches (by spec or by memory) with the same update", async () => {
    const spec = trainSpec({ steps: 1, optimizer: { type: "sgd", lr: 1, momentum: 0 } });
    const run = async (name: string, overrides: Partial<TrainAttributes>, memoryBudget?: number) => {
      const lines: string[] = [];
      const model = await sasrec(data, { seed: 3 });
      await trainModel(
        model,
        data,
        { ...spec, ...overrides },
        { runDir: path.join(dir, name), progressStream: false, log: (l) => lines.push(l), ...(memoryBudget ? { memoryBudget } : {}) },
      );
      model.dispose();
      return { lines, loss: losses(path.join(dir, name))[0], weights: weightsOf(path.join(dir, name)) };
    };
    const whole = await run("whole", {});
    const bySpec = await run("spec", { micro_batch: 16 });
    const byMemory = await run("memory", {}, 64 * 1024);
    expect(whole.lines.join("\n")).toMatch(/batch 64 in one pass/);
    expect(bySpec.lines.join("\n")).toMatch(/batch 64 → 4 micro-batches of 16 \(micro_batch from the spec\)/);
    expect(byMemory.lines.join("\n")).toMatch(/batch 64 → \d+ micro-batches of \d+ \(memory: est\./);
    for (const other of [bySpec, byMemory]) {
      expect(other.loss).toBeCloseTo(whole.loss, 5);
      expect(maxDifference(other.weights, whole.weights)).toBeLessThan(1e-5);
    }
  });

  it("resumes from a checkpoint to the weights of an uninterrupted run", async () => {
    const spec = trainSpec({ steps: 6, checkpoint_every: 3 });
    const full = await sasrec(data, { seed: 5 });
    await trainModel(full, data, spec, { runDir: path.join(dir, "full"), ...quiet });
    full.dispose();
    const first = await sasrec(data, { seed: 5 });
    await trainModel(first, data, { ...spec, steps: 3 }, { runDir: path.join(dir, "resumed"), ...quiet });
    first.dispose();
    const second = await sasrec(data, { seed: 5 });
    const result = await trainModel(second, data, spec, { runDir: path.join(dir, "resumed"), resume: true, ...quiet });
    expect(result.steps).toBe(6);
    expect(losses(path.join(dir, "resumed"))).toEqual(losses(path.join(dir, "full")));
    expect(maxDifference(weightsOf(path.join(dir, "resumed")), weightsOf(path.join(dir, "full")))).toBe(0);
    // The saved weights load back into a fresh model for inference.
    const fresh = await sasrec(data, { seed: 99 });
    loadModel(fresh, modelDir(path.join(dir, "full")));
    const a = second.scoreItems(new Int32Array(data.history).fill(3), 1);
    const b = fresh.scoreItems(new Int32Array(data.history).fill(3), 1);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([a, b]);
    second.dispose();
    fresh.dispose();
  });

  it("stops early on validation loss and says which users it validates on", async () => {
    const lines: string[] = [];
    const model = new (await twoTowerClass({ user: multiInterest(2), seed: 1 }))(data);
    const result = await trainModel(model, data, trainSpec({ steps: null, epochs: 2, batch: 128, early_stop: { metric: "loss", k: null }, patience: 1 }), {
      runDir: dir,
      progressStream: false,
      log: (l) => lines.push(l),
      validationUsers: 100,
    });
    expect(lines.join("\n")).toMatch(/validation loss over a seeded subset of 100 of 300 validation users/);
    expect(result.bestValidation?.metric).toBe("loss");
    expect(Number.isFinite(result.bestValidation!.value)).toBe(true);
    expect(result.stepsPerSecond).toBeGreaterThan(0);
    const val = readMetrics(path.join(dir, "metrics.jsonl")).filter((e) => e.name === "val_loss");
    expect(val.length).toBe(result.epochs);
    model.dispose();
  });
});
