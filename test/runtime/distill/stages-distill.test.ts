import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ensureGradients } from "../../../src/runtime/backend/register-gradients.js";
import { selectBackend } from "../../../src/runtime/backend/select-backend.js";
import { DistillModel } from "../../../src/runtime/distill/distill-model.js";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import { saveModel } from "../../../src/runtime/pipeline/model-weights.js";
import type { Run } from "../../../src/runtime/program/run.js";
import { analyzeDistill, ANALYSIS_FILE, loadTeacherCheckpoint, precomputeTeacher, TEACHER_CACHE_FILE } from "../../../src/runtime/program/stages-distill.js";
import { tinyData } from "../models/fixtures.js";
import { generatedSasrec, sasrec, type GeneratedSasrec } from "../models/sasrec-program.js";
import { teacherTarget, type TeacherTransform } from "./teacher-targets.js";

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

/** The distilled model a generated program makes of these two networks. */
function distill(student: GeneratedSasrec, teacher: GeneratedSasrec, transform: TeacherTransform): DistillModel {
  const settings = {
    temperature: 4,
    alpha: 0.9,
    target: teacherTarget(transform),
    positions: student.attributes.positions,
    labelSmoothing: 0,
    teacherEncoder: teacher.encoder,
  };
  return new DistillModel(student.model, teacher.model, settings, null, "student");
}

describe("distill program stages", () => {
  it("precomputes the teacher once into the block's folder and reuses it", async () => {
    const teacher = await sasrec(data, { name: "teacher", embedding: 16, layers: 2, seed: 1 });
    const lines: string[] = [];
    const run = fakeRun(lines);
    const first = await precomputeTeacher(run, "student", teacher, data.split.train, "all");
    expect(fs.existsSync(path.join(run.dir, "student", TEACHER_CACHE_FILE))).toBe(true);
    expect(lines.join("\n")).toMatch(/precomputed to/);
    const second = await precomputeTeacher(run, "student", teacher, data.split.train, "all");
    expect(lines.join("\n")).toMatch(/loaded from/);
    expect(second.hidden).toEqual(first.hidden);
    // Without a run the cache stays in memory.
    expect((await precomputeTeacher(undefined, "student", teacher, data.split.train, "all")).hidden).toEqual(first.hidden);
    teacher.dispose();
  });

  it("loads a teacher checkpoint and writes the analysis JSON", async () => {
    const trained = await sasrec(data, { name: "teacher", embedding: 16, seed: 1 });
    await saveModel(trained, path.join(dir, "teacher-run", "model"));
    const teacher = await generatedSasrec(data, { name: "teacher", embedding: 16, seed: 2 });
    const lines: string[] = [];
    const run = fakeRun(lines);
    loadTeacherCheckpoint(run, teacher.model, "teacher-run", "student");
    expect(teacher.model.params.variables().get("item_embedding/table")!.dataSync()).toEqual(
      trained.params.variables().get("item_embedding/table")!.dataSync(),
    );
    expect(lines.join("\n")).toMatch(/student: teacher teacher loaded from .*teacher-run/);

    const model = distill(await generatedSasrec(data, { embedding: 8, seed: 3 }), teacher, { type: "topk", k: 5 });
    const analysis = await analyzeDistill(run, model, data, { seed: 3, examples: 30, items: 10 });
    const written = JSON.parse(fs.readFileSync(path.join(run.dir, "student", ANALYSIS_FILE), "utf8"));
    expect(written.transform).toBe("topk(k=5)");
    expect(written.reweighting.examples).toBe(30);
    expect(written.reweighting.bins).toHaveLength(10);
    expect(written.similarity.items).toHaveLength(10);
    expect(written.similarity.teacher).toHaveLength(10);
    expect(analysis.similarity.correlation).toBe(written.similarity.correlation);
    [trained, teacher.model, model].forEach((m) => m.dispose());
  });
});
