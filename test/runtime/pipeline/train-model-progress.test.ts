// What trainModel tells people: the work of an epoch before the first step, the validation's users
// on the in-place progress line, where a resume continues, and the default wall-time checkpoints.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import type { TrainAttributes } from "../../../src/ir/index.js";
import { trainModel } from "../../../src/runtime/pipeline/train-model.js";
import { selectBackend } from "../../../src/runtime/backend/select-backend.js";
import { tinyData } from "../models/fixtures.js";
import { sasrec } from "../models/sasrec-program.js";

let data: PreparedData;
let dir: string;
beforeAll(async () => {
  await selectBackend("wasm");
  data = await tinyData();
});
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "recspec-train-progress-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function trainSpec(overrides: Partial<TrainAttributes> = {}): TrainAttributes {
  return {
    optimizer: { type: "adam", lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
    schedule: { type: "constant" },
    epochs: 2,
    steps: null,
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

describe("trainModel's messages", () => {
  it("logs an epoch's work, shows validation users on a terminal, and says where a resume continues", async () => {
    const lines: string[] = [];
    const chunks: string[] = [];
    const log = (l: string) => void lines.push(l);
    const model = await sasrec(data, { seed: 0 });
    const n = model.trainingExamples.length;
    const perEpoch = Math.ceil(n / 64);
    const spec = trainSpec({ early_stop: { metric: "ndcg", k: 10 } });
    await trainModel(model, data, spec, { runDir: dir, log, progressStream: { write: (s: string) => chunks.push(s), isTTY: true } });
    expect(lines).toContain(`${model.name}: ${n} training examples, batches of 64: ${perEpoch} steps per epoch, 2 epochs = ${2 * perEpoch} steps`);
    // The ranking early-stop metric reports its users on the progress line.
    const users = Math.min(2000, data.split.validation.length);
    expect(chunks.join("")).toContain(`validating ${users}/${users} users`);
    // Every epoch's end is a checkpoint (the second is also the last).
    expect(
      fs
        .readdirSync(dir)
        .filter((f) => f.startsWith("ckpt-"))
        .sort(),
    ).toEqual([`ckpt-${2 * perEpoch}`, `ckpt-${perEpoch}`]);

    // A third epoch on top: the resume is announced with its step and epoch.
    lines.length = 0;
    await trainModel(model, data, trainSpec({ epochs: 3, early_stop: { metric: "ndcg", k: 10 } }), { runDir: dir, log, resume: true, progressStream: false });
    expect(lines).toContain(
      `${model.name}: resumed from ${path.join(dir, `ckpt-${2 * perEpoch}`)}: step ${2 * perEpoch} (epoch 3/3, 0 of ${perEpoch} batches done)`,
    );
  }, 120_000);
});
