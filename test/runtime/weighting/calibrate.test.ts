// User-tower calibration: only user-tower variables change (the item tower stays bit-identical),
// the natural weights are back, and the learning rate is a tenth of the block's.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../../src/runtime/backend/select-backend.js";
import { makeBatch } from "../../../src/runtime/data/batching.js";
import { inverseFrequencyWeights } from "../../../src/runtime/weighting/inverse-frequency.js";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import type { TrainAttributes } from "../../../src/ir/index.js";
import { readMetrics } from "../../../src/runtime/train/metrics-log.js";
import { calibrateUserTower, calibrationSpec, isUserTowerVariable } from "../../../src/runtime/weighting/calibrate.js";
import { tinyData } from "../models/fixtures.js";
import { multiInterest, weightedTwoTowerClass } from "../models/two-tower-program.js";

let data: PreparedData;
let dir: string;
beforeAll(async () => {
  await selectBackend("wasm");
  data = await tinyData({ users: 120 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "recspec-calibrate-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const spec: TrainAttributes = {
  optimizer: { type: "adam", lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
  schedule: { type: "constant" },
  epochs: 1,
  steps: null,
  batch: 64,
  micro_batch: null,
  clip: 0,
  early_stop: null,
  patience: 2,
  checkpoint_every: 1000,
  checkpoint_minutes: 5,
  seed: 0,
};

describe("calibrateUserTower", () => {
  it("derives lr/10 with early stopping on validation loss", () => {
    const c = calibrationSpec({ ...spec, epochs: null, steps: 50 });
    expect(c.optimizer.lr).toBeCloseTo(0.001, 12);
    expect(c.early_stop).toEqual({ metric: "loss", k: null });
    expect(c.epochs).toBe(10);
    expect(c.steps).toBeNull();
  });

  it("changes the user tower only; the item tower's variables stay bit-identical", async () => {
    const Model = await weightedTwoTowerClass({
      user: multiInterest(2),
      loss: "sampled_softmax(negatives: in_batch, count: 10, logq: true, temperature: 0.1)",
      weighting: "idw",
    });
    const model = new Model(data);
    model.setItemWeights(inverseFrequencyWeights(model.targetCounts));
    const snapshot = () => new Map([...model.params.variables()].map(([k, v]) => [k, Float32Array.from(v.dataSync())]));
    const before = snapshot();
    const result = await calibrateUserTower(model, data, spec, { runDir: dir, progressStream: false, log: () => {} });
    const after = snapshot();
    expect(result.steps).toBeGreaterThan(0);
    const itemNames = [...before.keys()].filter((k) => !isUserTowerVariable(k));
    const userNames = [...before.keys()].filter(isUserTowerVariable);
    expect(itemNames.length).toBeGreaterThan(0);
    expect(itemNames.every((k) => k.startsWith("item_tower/"))).toBe(true);
    for (const k of itemNames) expect(after.get(k)).toEqual(before.get(k));
    const moved = userNames.filter((k) => before.get(k)!.some((v, i) => v !== after.get(k)![i]));
    expect(moved.length).toBeGreaterThan(0);
    // Natural weights again, and the updates ran at lr/10.
    expect(model.lossWeight(makeBatch(model.trainingExamples, [0, 1, 2], data.history))).toBe(3);
    const lrs = readMetrics(path.join(dir, "metrics.jsonl"))
      .filter((e) => e.name === "lr")
      .map((e) => e.value);
    expect(lrs.length).toBeGreaterThan(0);
    expect(lrs.every((lr) => Math.abs(lr - 0.001) < 1e-12)).toBe(true);
    model.dispose();
  });
});
