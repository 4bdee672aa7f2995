import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ensureGradients } from "../../../src/runtime/backend/register-gradients.js";
import { selectBackend } from "../../../src/runtime/backend/select-backend.js";
import { DistillModel } from "../../../src/runtime/distill/distill-model.js";
import { TwoTowerDistillModel } from "../../../src/runtime/distill/two-tower-distill.js";
import { sequentialModel, type SequentialModel } from "../../../src/runtime/models/sequential.js";
import { twoTowerModel } from "../../../src/runtime/models/two-tower.js";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import { saveModel } from "../../../src/runtime/pipeline/model-weights.js";
import type { Run } from "../../../src/runtime/program/run.js";
import { analyzeDistill, ANALYSIS_FILE, buildDistill, loadTeacherCheckpoint, TEACHER_CACHE_FILE } from "../../../src/runtime/program/stages-distill.js";
import type { BlockSpec } from "../../../src/runtime/program/types.js";
import { encoder, itemTowerSpec, multiInterestTower, sequentialConfig, tinyData, twoTowerConfig } from "../models/fixtures.js";

let data: PreparedData;
let dir: string;
beforeAll(async () => {
  await selectBackend("wasm");
  await ensureGradients();
  data = await tinyData();
});
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "recspec-stages-distill-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function fakeRun(lines: string[]): Run {
  return {
    spec: "distill",
    specDir: dir,
    dir: path.join(dir, "run"),
    resume: false,
    stage: "run",
    backend: "wasm",
    matmul: "wasm",
    log: (l) => lines.push(l),
    progress: process.stderr,
    startedAt: Date.now(),
  };
}

/** A distill block shaped as the compiler's IR gives it (see `recspec compile specs/distill.recspec --emit ir`). */
function block(overrides: Record<string, unknown> = {}): BlockSpec {
  return {
    name: "student",
    kind: "distill",
    type: "distill",
    dataset: "tiny",
    attributes: {
      teacher: { ref: "teacher" },
      student: { model: "teacher", type: "sequential", overrides: { embedding: 8 }, attributes: { data: { ref: "tiny" }, ...sequentialConfig({ embedding: 8 }) } },
      temperature: 4,
      alpha: 0.9,
      teacher_transform: { type: "full" },
      precompute: false,
      checkpoint: null,
      ...overrides,
    },
    train: { seed: 3 },
  };
}

describe("distill program stages", () => {
  it("builds the student from the block, with the precompute cache written once and reused", () => {
    const teacher = sequentialModel(sequentialConfig({ embedding: 16, encoder: encoder({ layers: 2 }) }), data, 1, "teacher");
    const lines: string[] = [];
    const run = fakeRun(lines);
    const first = buildDistill(block({ precompute: true }), data, teacher, run) as DistillModel;
    expect(first).toBeInstanceOf(DistillModel);
    expect(first.name).toBe("student");
    expect((first.student as SequentialModel).config.embedding).toBe(8);
    // Seeded from train.seed, as the plain student would be.
    const plain = sequentialModel(sequentialConfig({ embedding: 8 }), data, 3);
    expect(first.params.variables().get("item_embedding/table")!.dataSync()).toEqual(plain.params.variables().get("item_embedding/table")!.dataSync());
    expect(fs.existsSync(path.join(run.dir, "student", TEACHER_CACHE_FILE))).toBe(true);
    expect(lines.join("\n")).toMatch(/precomputed to/);
    const second = buildDistill(block({ precompute: true }), data, teacher, run) as DistillModel;
    expect(lines.join("\n")).toMatch(/loaded from/);
    expect(second.cache!.hidden).toEqual(first.cache!.hidden);
    // No cache when the teacher's outputs are not used.
    expect((buildDistill(block({ precompute: true, teacher_transform: { type: "label_smoothing", epsilon: 0.1 } }), data, teacher) as DistillModel).cache).toBeNull();
    expect(() => buildDistill(block({ student: { model: "x", type: "generative", overrides: {}, attributes: {} } }), data, teacher)).toThrow(/sequential and two_tower only/);
    [teacher, first, second, plain].forEach((m) => m.dispose());
  });

  it("loads a teacher checkpoint and writes the analysis JSON", async () => {
    const trained = sequentialModel(sequentialConfig({ embedding: 16 }), data, 1, "teacher");
    saveModel(trained, path.join(dir, "teacher-run", "model"));
    const teacher = sequentialModel(sequentialConfig({ embedding: 16 }), data, 2, "teacher");
    const lines: string[] = [];
    const run = fakeRun(lines);
    expect(loadTeacherCheckpoint(run, teacher, block())).toBe(false);
    expect(loadTeacherCheckpoint(run, teacher, block({ checkpoint: "teacher-run" }))).toBe(true);
    expect(teacher.params.variables().get("item_embedding/table")!.dataSync()).toEqual(trained.params.variables().get("item_embedding/table")!.dataSync());

    const model = buildDistill(block({ teacher_transform: { type: "topk", k: 5 } }), data, teacher, run) as DistillModel;
    const analysis = await analyzeDistill(run, model, data, { seed: 3, examples: 30, items: 10 });
    const written = JSON.parse(fs.readFileSync(path.join(run.dir, "student", ANALYSIS_FILE), "utf8"));
    expect(written.transform).toBe("topk(k=5)");
    expect(written.reweighting.examples).toBe(30);
    expect(written.reweighting.bins).toHaveLength(10);
    expect(written.similarity.items).toHaveLength(10);
    expect(written.similarity.teacher).toHaveLength(10);
    expect(analysis!.similarity.correlation).toBe(written.similarity.correlation);
    [trained, teacher, model].forEach((m) => m.dispose());
  });

  it("builds a two-tower student from its own (smaller) tower blocks", async () => {
    const tower = (name: string, spec: { type: string; attributes: unknown }): BlockSpec =>
      ({ name, kind: "tower", type: spec.type, dataset: "tiny", attributes: spec.attributes as Record<string, unknown> }) as BlockSpec;
    const teacher = twoTowerModel(twoTowerConfig(), { user: multiInterestTower(2, 16), item: itemTowerSpec(16) }, data, 1, "teacher");
    const student = { model: "teacher", type: "two_tower", overrides: {}, attributes: { user: { ref: "small_users" }, item: { ref: "small_items" }, ...twoTowerConfig() } };
    const towers = { user: tower("small_users", multiInterestTower(2, 8)), item: tower("small_items", itemTowerSpec(8)) };
    const lines: string[] = [];
    const run = fakeRun(lines);
    const model = buildDistill(block({ student }), data, teacher, run, { towers });
    expect(model).toBeInstanceOf(TwoTowerDistillModel);
    const built = model as TwoTowerDistillModel;
    expect(built.name).toBe("student");
    expect(built.student.item.dim).toBe(8);
    expect(built.teacher).toBe(teacher);
    // Seeded from train.seed, as the plain student would be.
    const plain = twoTowerModel(twoTowerConfig(), { user: multiInterestTower(2, 8), item: itemTowerSpec(8) }, data, 3);
    const table = "item_tower/item_embedding/table";
    expect(built.params.variables().get(table)!.dataSync()).toEqual(plain.params.variables().get(table)!.dataSync());
    expect(lines.join("\n")).toMatch(/towers small_users, small_items/);
    // A sequential teacher cannot teach a two-tower student.
    const sequential = sequentialModel(sequentialConfig({ embedding: 8 }), data, 1, "seq");
    expect(() => buildDistill(block({ student }), data, sequential, run, { towers })).toThrow(/not a two_tower model/);
    [teacher, model, plain, sequential].forEach((m) => m.dispose());
  });
});
