import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Rng } from "../../../src/runtime/random.js";
import { latestCheckpoint, loadWeights } from "../../../src/runtime/train/checkpoint.js";
import { readMetrics, type MetricEntry } from "../../../src/runtime/train/metrics-log.js";
import { TrainingInterrupted } from "../../../src/runtime/train/interrupt.js";
import { NonFiniteLossError, train, type TrainOptions } from "../../../src/runtime/train/train-loop.js";
import { expectTensorsClose, useCpuBackend } from "../../helpers/tf.js";

beforeAll(useCpuBackend);

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "recspec-train-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

// A small linear regression: 24 examples, 3 features, batches of 6 → 4 updates per epoch.
const N = 24;
const BATCH = 6;
const data = (() => {
  const r = new Rng(123);
  const x = Array.from({ length: N }, () => [r.normal(), r.normal(), r.normal()]);
  const y = x.map((row) => row[0] - 2 * row[1] + 0.5 * row[2] + 0.3 + 0.1 * r.normal());
  return { x, y };
})();

interface Batch {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
}

function* batches(_epoch: number, rng: Rng): Iterable<Batch> {
  const order = rng.shuffle(Array.from({ length: N }, (_, i) => i)) as number[];
  for (let i = 0; i < N; i += BATCH) {
    const idx = order.slice(i, i + BATCH);
    yield { x: tf.tensor2d(idx.map((j) => data.x[j])), y: tf.tensor2d(idx.map((j) => [data.y[j]])) };
  }
}

function makeVars(init = 0.1): Map<string, tf.Variable> {
  return new Map<string, tf.Variable>([
    ["dense/w", tf.variable(tf.tensor2d([[init], [-init], [2 * init]]))],
    ["dense/b", tf.variable(tf.tensor1d([init]))],
  ]);
}

function mseOf(vars: Map<string, tf.Variable>, b: Batch): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(b.x, vars.get("dense/w")!), vars.get("dense/b")!), b.y))));
}

/** Negative mean squared error over all data: higher is better. */
function negLoss(vars: Map<string, tf.Variable>): number {
  const b = { x: tf.tensor2d(data.x), y: tf.tensor2d(data.y.map((v) => [v])) };
  const l = mseOf(vars, b);
  const value = -l.dataSync()[0];
  tf.dispose([l, b.x, b.y]);
  return value;
}

function options(vars: Map<string, tf.Variable>, extra: Partial<TrainOptions<Batch>> = {}): TrainOptions<Batch> {
  return {
    vars,
    lossFn: (b) => mseOf(vars, b),
    batches,
    optimizer: { name: "adam", lr: 0.05 },
    seed: 7,
    progress: false,
    ...extra,
  };
}

function bits(vars: Map<string, tf.Variable>): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [name, v] of vars) out[name] = Array.from(new Uint32Array((v.dataSync() as Float32Array).slice().buffer));
  return out;
}

function disposeVars(vars: Map<string, tf.Variable>): void {
  for (const v of vars.values()) v.dispose();
}

function withoutTime(entries: MetricEntry[]): Omit<MetricEntry, "time">[] {
  return entries.map(({ time: _time, ...rest }) => rest);
}

describe("train", () => {
  it("fits the regression and reports what it did", async () => {
    const vars = makeVars();
    const before = -negLoss(vars);
    const result = await train(options(vars, { epochs: 30 }));
    expect(result).toMatchObject({ step: 120, epochs: 30, stoppedEarly: false, checkpoint: null, resumedFrom: null });
    expect(-negLoss(vars)).toBeLessThan(before / 10);
    expectTensorsClose(Array.from(vars.get("dense/w")!.dataSync()), [1, -2, 0.5], 0.2);
    disposeVars(vars);
  });

  it("is deterministic for a seed, and the seed matters", async () => {
    const runs = [];
    for (const seed of [3, 3, 4]) {
      const vars = makeVars();
      await train(options(vars, { epochs: 2, seed }));
      runs.push(bits(vars));
      disposeVars(vars);
    }
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).not.toEqual(runs[0]);
  });

  it("stops at the step limit, even mid-epoch", async () => {
    const vars = makeVars();
    const result = await train(options(vars, { epochs: 5, steps: 6 }));
    expect(result.step).toBe(6);
    expect(result.epochs).toBe(1);
    disposeVars(vars);
  });

  it("trains only the trainable subset", async () => {
    const vars = makeVars();
    const b0 = Array.from(vars.get("dense/b")!.dataSync());
    const w0 = Array.from(vars.get("dense/w")!.dataSync());
    await train(options(vars, { epochs: 1, trainable: ["dense/w"] }));
    expect(Array.from(vars.get("dense/b")!.dataSync())).toEqual(b0);
    expect(Array.from(vars.get("dense/w")!.dataSync())).not.toEqual(w0);
    disposeVars(vars);
  });

  it("micro-batching with accumulation matches full batches", async () => {
    // Plain SGD makes the update −lr·gradient, so equal weights mean equal gradients.
    const full = makeVars();
    await train(options(full, { epochs: 2, optimizer: { name: "sgd", lr: 0.1 } }));
    const micro = makeVars();
    let calls = 0;
    await train(
      options(micro, {
        epochs: 2,
        optimizer: { name: "sgd", lr: 0.1 },
        microBatches: 4, // 6 rows → parts of 1, 2, 1, 2
        lossFn: (b) => {
          calls++;
          return mseOf(micro, b);
        },
      }),
    );
    expect(calls).toBe(2 * 4 * 4);
    for (const name of full.keys()) expectTensorsClose(micro.get(name)!, full.get(name)!, 1e-5);
    disposeVars(full);
    disposeVars(micro);
  });

  it("clips gradients to the global norm and logs the norm before clipping", async () => {
    const vars = makeVars();
    await train(options(vars, { steps: 1, epochs: 1, optimizer: { name: "sgd", lr: 1 }, clipNorm: 0.01, runDir: dir }));
    const norm = readMetrics(path.join(dir, "metrics.jsonl")).find((e) => e.name === "grad_norm")!.value;
    expect(norm).toBeGreaterThan(0.01);
    // With lr 1 the whole update has length exactly 0.01.
    const init = makeVars();
    let sq = 0;
    for (const [name, v] of vars) {
      const d = tf.tidy(() => tf.sum(tf.square(tf.sub(v, init.get(name)!))));
      sq += d.dataSync()[0];
      d.dispose();
    }
    expect(Math.sqrt(sq)).toBeCloseTo(0.01, 6);
    disposeVars(vars);
    disposeVars(init);
  });

  it("stops early at the right epoch and restores the best weights", async () => {
    const script = [0.1, 0.3, 0.2, 0.25, 0.29, 0.5, 0.6];
    const vars = makeVars();
    const snapshots: number[][] = [];
    const seen: number[] = [];
    const result = await train(
      options(vars, {
        epochs: 10,
        validate: ({ epoch }) => script[epoch],
        earlyStopping: { patience: 3 },
        onEpochEnd: (info) => {
          seen.push(info.metric!);
          snapshots.push(Array.from(vars.get("dense/w")!.dataSync()));
        },
      }),
    );
    // Best 0.3 after epoch 2 (index 1); epochs 3, 4, 5 do not beat it → stop after 5.
    expect(seen).toEqual([0.1, 0.3, 0.2, 0.25, 0.29]);
    expect(result).toMatchObject({ epochs: 5, stoppedEarly: true, bestMetric: 0.3, bestEpoch: 1 });
    expect(Array.from(vars.get("dense/w")!.dataSync())).toEqual(snapshots[1]);
    expect(snapshots[4]).not.toEqual(snapshots[1]);
    disposeVars(vars);
  });

  it("early stopping can minimise, with a minimum improvement", async () => {
    const script = [1.0, 0.95, 0.93, 0.5];
    const vars = makeVars();
    const result = await train(
      options(vars, {
        epochs: 10,
        validate: ({ epoch }) => script[epoch],
        earlyStopping: { patience: 2, mode: "min", minDelta: 0.1, restoreBest: false },
      }),
    );
    // 0.95 and 0.93 improve on 1.0 by less than 0.1 → stop after epoch 3.
    expect(result).toMatchObject({ epochs: 3, stoppedEarly: true, bestMetric: 1.0, bestEpoch: 0 });
    disposeVars(vars);
  });

  it("stops with a clear error when the loss becomes non-finite", async () => {
    const vars = makeVars();
    const before = tf.memory().numTensors;
    const run = train(
      options(vars, {
        epochs: 2,
        lossFn: (b, _training, ctx) => {
          const l = mseOf(vars, b);
          return ctx.step === 3 ? tf.tidy(() => tf.mul(l, NaN)) : l;
        },
      }),
    );
    await expect(run).rejects.toThrow(NonFiniteLossError);
    await expect(run).rejects.toThrow(/step 3 \(epoch 1\): the loss became non-finite \(NaN\)$/);
    await expect(run).rejects.toMatchObject({ code: "RS6003", help: expect.stringMatching(/lower the learning rate.*`clip`/) });
    expect(tf.memory().numTensors).toBe(before);
    disposeVars(vars);
  });

  it("names the variables when the gradient alone is non-finite", async () => {
    const vars = makeVars();
    const run = train(
      options(vars, {
        epochs: 1,
        // sqrt(|w|) at w = 0 has an infinite derivative; the value is finite.
        lossFn: (b) => tf.tidy(() => tf.add(mseOf(vars, b), tf.sum(tf.sqrt(tf.abs(tf.sub(vars.get("dense/b")!, 0.1)))))),
      }),
    );
    await expect(run).rejects.toThrow(/step 1 .*gradient became non-finite \(in dense\/b\)/);
    disposeVars(vars);
  });

  it("leaks no tensors: the count is stable between epochs and restored at the end", async () => {
    const vars = makeVars();
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    await train(
      options(vars, {
        epochs: 4,
        microBatches: 2,
        clipNorm: 1,
        runDir: dir,
        checkpointEvery: 3,
        validate: () => negLoss(vars),
        earlyStopping: { patience: 10 },
        onEpochEnd: () => counts.push(tf.memory().numTensors),
      }),
    );
    expect(counts).toHaveLength(4);
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    disposeVars(vars);
  });

  it("writes the metric log, checkpoints and final weights into runDir", async () => {
    const vars = makeVars();
    const result = await train(options(vars, { epochs: 2, runDir: dir, checkpointEvery: 3, validate: () => negLoss(vars), validationName: "neg_mse" }));
    const entries = readMetrics(path.join(dir, "metrics.jsonl"));
    expect(entries.filter((e) => e.name === "loss").map((e) => e.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(entries.filter((e) => e.name === "epoch_loss").map((e) => [e.epoch, e.step])).toEqual([
      [0, 4],
      [1, 8],
    ]);
    expect(entries.filter((e) => e.split === "val").map((e) => e.name)).toEqual(["neg_mse", "neg_mse"]);
    expect(entries.find((e) => e.name === "lr")!.value).toBe(0.05);
    // Checkpoints at 3 and 6 and at the end (8); the newest two kept.
    expect(
      fs
        .readdirSync(dir)
        .filter((n) => n.startsWith("ckpt"))
        .sort(),
    ).toEqual(["ckpt-6", "ckpt-8"]);
    expect(result.checkpoint).toBe(latestCheckpoint(dir));
    const saved = loadWeights(path.join(dir, "model"));
    expect(Array.from(saved.get("dense/w")!.dataSync())).toEqual(Array.from(vars.get("dense/w")!.dataSync()));
    tf.dispose([...saved.values()]);
    disposeVars(vars);
  });

  it("prints one plain line per epoch off a TTY", async () => {
    const chunks: string[] = [];
    const vars = makeVars();
    await train(options(vars, { epochs: 2, progress: { write: (s: string) => chunks.push(s), isTTY: false } }));
    const lines = chunks.join("").trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^epoch 1\/2 {2}step 4 {2}loss \d/);
    expect(lines[1]).toMatch(/^epoch 2\/2 {2}step 8\/8 {2}loss/);
    disposeVars(vars);
  });

  it("knows the total before the first step when told the batches per epoch", async () => {
    const chunks: string[] = [];
    const vars = makeVars();
    await train(options(vars, { epochs: 3, stepsPerEpoch: 4, progress: { write: (s: string) => chunks.push(s), isTTY: true } }));
    // The first redraw (step 1) already has the bar and 3 × 4 steps.
    expect(chunks[0]).toMatch(/^\r\[#{2}\.{18}\] {2}epoch 1\/3 {2}step 1\/12 {2}loss/);
    // A step limit below epochs × batches wins.
    const capped: string[] = [];
    await train(options(vars, { epochs: 3, steps: 5, stepsPerEpoch: 4, progress: { write: (s: string) => capped.push(s), isTTY: true } }));
    expect(capped[0]).toContain("step 1/5");
    disposeVars(vars);
  });

  it("checkpoints at every epoch's end", async () => {
    const vars = makeVars();
    await train(options(vars, { epochs: 3, runDir: dir, keepCheckpoints: 10 }));
    expect(
      fs
        .readdirSync(dir)
        .filter((n) => n.startsWith("ckpt"))
        .sort(),
    ).toEqual(["ckpt-12", "ckpt-4", "ckpt-8"]);
    disposeVars(vars);
  });

  it("checkpoints by wall time at the next step boundary", async () => {
    // Each update takes 40 s of a fake clock; a checkpoint is due a minute after the last one.
    let clock = 0;
    const vars = makeVars();
    await train(
      options(vars, {
        epochs: 2,
        runDir: dir,
        keepCheckpoints: 10,
        checkpointMinutes: 1,
        now: () => clock,
        lossFn: (b) => {
          clock += 40_000;
          return mseOf(vars, b);
        },
      }),
    );
    // Due after 2 (80 s), saved before step 3; due again after 4, which the epoch's end covers;
    // then after 6 (80 s past step 4); 8 is the end.
    const steps = fs
      .readdirSync(dir)
      .filter((n) => n.startsWith("ckpt"))
      .map((n) => Number(n.slice(5)))
      .sort((a, b) => a - b);
    expect(steps).toEqual([2, 4, 6, 8]);
    disposeVars(vars);
  });
});

describe("resume", () => {
  // Validation and early stopping on, so the best weights and patience travel too.
  const common = (vars: Map<string, tf.Variable>, runDir: string, extra: Partial<TrainOptions<Batch>> = {}) =>
    options(vars, {
      runDir,
      validate: () => negLoss(vars),
      earlyStopping: { patience: 5 },
      schedule: { name: "cosine", lr: 0.05, totalSteps: 12, warmup: 2 },
      ...extra,
    });

  async function uninterrupted(): Promise<{ weights: Record<string, number[]>; log: Omit<MetricEntry, "time">[] }> {
    const runDir = path.join(dir, "straight");
    const vars = makeVars();
    await train(common(vars, runDir, { epochs: 3 }));
    const weights = bits(vars);
    disposeVars(vars);
    return { weights, log: withoutTime(readMetrics(path.join(runDir, "metrics.jsonl"))) };
  }

  it("1 epoch + resume + 2 epochs equals 3 epochs straight, bit for bit", async () => {
    const straight = await uninterrupted();
    const runDir = path.join(dir, "resumed");
    const first = makeVars();
    await train(common(first, runDir, { epochs: 1 }));
    disposeVars(first);
    // Different starting values: everything must come from the checkpoint.
    const vars = makeVars(5);
    const result = await train(common(vars, runDir, { epochs: 3, resume: true }));
    expect(result.resumedFrom).toBe(path.join(runDir, "ckpt-4"));
    expect(bits(vars)).toEqual(straight.weights);
    expect(withoutTime(readMetrics(path.join(runDir, "metrics.jsonl")))).toEqual(straight.log);
    disposeVars(vars);
  });

  it("resumes mid-epoch after a crash, ignoring the partial checkpoint and replaying the log", async () => {
    const straight = await uninterrupted();
    const runDir = path.join(dir, "crashed");
    const first = makeVars();
    // "Crash" after update 7: checkpoints at 3 and 6; the log has entries up to 7.
    await expect(
      train(
        common(first, runDir, {
          epochs: 3,
          checkpointEvery: 3,
          lossFn: (b, _t, ctx) => {
            if (ctx.step === 8) throw new Error("power cut");
            return mseOf(first, b);
          },
        }),
      ),
    ).rejects.toThrow("power cut");
    disposeVars(first);
    fs.mkdirSync(path.join(runDir, "ckpt-9.tmp"));
    expect(readMetrics(path.join(runDir, "metrics.jsonl")).some((e) => e.step === 7)).toBe(true);

    const vars = makeVars(-3);
    const result = await train(common(vars, runDir, { epochs: 3, checkpointEvery: 3, resume: true }));
    expect(result.resumedFrom).toBe(path.join(runDir, "ckpt-6"));
    expect(result.step).toBe(12);
    expect(bits(vars)).toEqual(straight.weights);
    expect(withoutTime(readMetrics(path.join(runDir, "metrics.jsonl")))).toEqual(straight.log);
    disposeVars(vars);
  });

  it("SIGTERM stops at the next step boundary after a checkpoint; --resume ends where a straight run ends", async () => {
    const straight = await uninterrupted();
    const runDir = path.join(dir, "signalled");
    const listeners = process.listenerCount("SIGTERM");
    const first = makeVars();
    const stopped = train(
      common(first, runDir, {
        epochs: 3,
        interruptible: true,
        progress: { write: () => {}, isTTY: false },
        lossFn: (b, _t, ctx) => {
          if (ctx.step === 6) process.emit("SIGTERM");
          return mseOf(first, b);
        },
      }),
    );
    const error = await stopped.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingInterrupted);
    const interrupted = error as TrainingInterrupted;
    // Step 6 was finished, then the loop stopped: epoch 2 (0-based 1), with the checkpoint of step 6.
    expect([interrupted.signal, interrupted.step, interrupted.epoch, interrupted.exitCode]).toEqual(["SIGTERM", 6, 1, 143]);
    expect(interrupted.checkpoint).toBe(path.join(runDir, "ckpt-6"));
    expect(latestCheckpoint(runDir)).toBe(path.join(runDir, "ckpt-6"));
    // The handlers are gone again.
    expect(process.listenerCount("SIGTERM")).toBe(listeners);
    disposeVars(first);

    const vars = makeVars(4);
    const resumed: { step: number; epoch: number; batchInEpoch: number }[] = [];
    const result = await train(common(vars, runDir, { epochs: 3, resume: true, onResume: (r) => resumed.push(r) }));
    expect(resumed).toEqual([{ checkpoint: path.join(runDir, "ckpt-6"), step: 6, epoch: 1, batchInEpoch: 2 }]);
    expect(result.step).toBe(12);
    expect(bits(vars)).toEqual(straight.weights);
    expect(withoutTime(readMetrics(path.join(runDir, "metrics.jsonl")))).toEqual(straight.log);
    disposeVars(vars);
  });

  it("resuming a finished run changes nothing", async () => {
    const runDir = path.join(dir, "done");
    const vars = makeVars();
    await train(common(vars, runDir, { epochs: 1 }));
    const done = bits(vars);
    const again = makeVars(2);
    const result = await train(common(again, runDir, { epochs: 1, resume: true }));
    expect(result.step).toBe(4);
    expect(bits(again)).toEqual(done);
    disposeVars(vars);
    disposeVars(again);
  });

  it("refuses to resume with a different seed", async () => {
    const runDir = path.join(dir, "seeded");
    const vars = makeVars();
    await train(common(vars, runDir, { epochs: 1 }));
    await expect(train(common(vars, runDir, { epochs: 2, resume: true, seed: 8 }))).rejects.toThrow(/seed 7.*same seed \(got 8\)/);
    disposeVars(vars);
  });

  it("starts fresh when there is nothing to resume", async () => {
    const vars = makeVars();
    const result = await train(common(vars, path.join(dir, "empty"), { epochs: 1, resume: true }));
    expect(result.resumedFrom).toBeNull();
    expect(result.step).toBe(4);
    disposeVars(vars);
  });
});
