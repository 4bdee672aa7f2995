// trainWithIdw end to end on a tiny skewed synthetic set: the phases run in order (initial,
// IDW iterations, calibration), the block's metrics.jsonl carries the IDW iterations, the final
// weights are saved, IDW moves item weight toward the tail, and a resumed run skips every finished
// phase and ends with the same weights.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Writable } from "node:stream";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../../src/runtime/backend/select-backend.js";
import { popularitySlices } from "../../../src/runtime/eval/slices.js";
import { loadWeights } from "../../../src/runtime/train/checkpoint.js";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import type { Run } from "../../../src/runtime/program/run.js";
import { trainWithIdw, type IdwTraining } from "../../../src/runtime/program/stages-idw.js";
import type { TrainAttributes } from "../../../src/ir/index.js";
import { readMetrics } from "../../../src/runtime/train/metrics-log.js";
import { tinyData } from "../models/fixtures.js";
import { multiInterest, weightedTwoTowerClass } from "../models/two-tower-program.js";

let data: PreparedData;
let dir: string;
let Mur: Awaited<ReturnType<typeof weightedTwoTowerClass>>;
beforeAll(async () => {
  await selectBackend("wasm");
  data = await tinyData({
    users: 150,
    interest_power: 1,
    item_power: 1.0,
    stay: 0.6,
    switch: 0.3,
  });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "recspec-idw-stage-"));
  // A generated two-tower model that takes IDW's weights (uniform until set).
  Mur = await weightedTwoTowerClass({
    name: "mur",
    user: multiInterest(2),
    loss: "sampled_softmax(negatives: in_batch, count: 10, logq: true, temperature: 0.1)",
    weighting: "idw",
  });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const idw: IdwTraining = {
  momentum: 0.8,
  tolerance: 1e-9,
  iterations: 2,
  epochs: 1,
  sample: 300,
  noise: 0.1,
  calibrateUserTower: true,
};
const train: TrainAttributes = {
  optimizer: { type: "adam", lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
  schedule: { type: "constant" },
  epochs: 1,
  steps: null,
  batch: 64,
  micro_batch: null,
  clip: 0,
  early_stop: { metric: "loss", k: null },
  patience: 2,
  checkpoint_every: 1000,
  checkpoint_minutes: 5,
  seed: 0,
};

function fakeRun(resume: boolean, lines: string[]): Run {
  const sink = new Writable({ write: (_c, _e, done) => done() });
  return {
    spec: "t",
    specDir: ".",
    dir,
    resume,
    stage: "train",
    backend: "wasm",
    matmul: "-",
    log: (l) => lines.push(l),
    progress: sink,
    startedAt: Date.now(),
  };
}
const build = () => new Mur(data);
const tailShare = (w: Float64Array, tail: Uint8Array) => w.reduce((s, v, i) => s + (tail[i] === 1 ? v : 0), 0);

describe("trainWithIdw", () => {
  it("trains initial → idw-1 → idw-2 → calibrate and logs every iteration", async () => {
    const model = build();
    const lines: string[] = [];
    const result = await trainWithIdw(fakeRun(false, lines), model, data, train, idw);
    expect(result.phases.map((p) => p.name)).toEqual(["initial", "idw-1", "idw-2", "calibrate"]);
    expect(result.steps).toBe(result.phases.reduce((s, p) => s + p.result.steps, 0));
    expect(result.idw!.iterations.map((i) => i.iteration)).toEqual([0, 1, 2]);
    const metrics = readMetrics(path.join(dir, "mur", "metrics.jsonl"));
    expect(metrics.filter((m) => m.name === "idw_max_delta_w")).toHaveLength(2);
    expect(metrics.filter((m) => m.name === "idw_val_hr@10_tail")).toHaveLength(3);
    // Training losses run on across phases: steps strictly increase.
    const steps = metrics.filter((m) => m.name === "loss").map((m) => m.step);
    expect(steps).toHaveLength(result.steps);
    expect(steps.every((s, i) => i === 0 || s > steps[i - 1])).toBe(true);
    expect(lines.some((l) => /IDW iteration 2: max\|Δw\|/.test(l))).toBe(true);
    // Mechanics, not a research claim: inverse density shifts item weight toward tail items.
    const tail = popularitySlices(model.targetCounts, { headFraction: 0.2 }).masks.tail;
    expect(tailShare(result.idw!.weights, tail)).toBeGreaterThan(tailShare(result.idw!.initialWeights, tail));
    // The final weights are the model's.
    const saved = loadWeights(path.join(dir, "mur", "model"));
    for (const [name, v] of model.params.variables()) expect(saved.get(name)!.dataSync()).toEqual(v.dataSync());
    tf.dispose([...saved.values()]);
    model.dispose();
  });

  it("resumes by skipping finished phases, ending with the same weights", async () => {
    const saved = loadWeights(path.join(dir, "mur", "model"));
    const model = build();
    const lines: string[] = [];
    const result = await trainWithIdw(fakeRun(true, lines), model, data, train, idw);
    expect(lines.some((l) => /resuming IDW after phase calibrate/.test(l))).toBe(true);
    expect(lines.some((l) => /phase .*: \d+ epochs/.test(l))).toBe(false);
    expect(result.phases).toHaveLength(4);
    for (const [name, v] of model.params.variables()) expect(v.dataSync()).toEqual(saved.get(name)!.dataSync());
    tf.dispose([...saved.values()]);
    model.dispose();
  });
});
