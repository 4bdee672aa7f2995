// Compiles a tiny two-tower distillation spec (a 32-d teacher with 3 interests, a smaller 8-d
// student with logQ, its own temperature and inverse-frequency weights, and the same student as a
// plain model) and imports its model.ts, so runtime tests exercise a distilled two-tower student
// exactly as generated programs hold it. Takes the distill settings tests vary; gives the classes
// and the maker of the distilled model.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { expect } from "vitest";
import { generate } from "../../../src/compiler/codegen/index.js";
import { compileSpec } from "../../../src/compiler/compile.js";
import type { InBatchStudent, InBatchTeacher, TwoTowerDistillModel } from "../../../src/runtime/distill/two-tower-distill.js";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import type { Run } from "../../../src/runtime/program/run.js";

export interface KdSettings {
  temperature: number;
  alpha: number;
  /** As the spec writes it: `full`, `topk(k: 3)`. */
  transform: string;
  /** Attention dropout of the student's user tower (randomness in its training pass). */
  dropout?: number;
}

/** The student's in-batch loss as the spec sets it, for host recomputation. */
export const STUDENT_LOSS = { temperature: 0.5, logq: true };
export const TEACHER_LOSS = { temperature: 1, logq: false };

export interface TwoTowerProgram {
  Teacher: new (data: PreparedData) => InBatchTeacher;
  /** The student's architecture trained on its own: same towers, loss, weighting and seed. */
  Plain: new (data: PreparedData) => InBatchStudent;
  buildStudent(data: PreparedData, teacher: InBatchTeacher, run: Run): TwoTowerDistillModel;
}

function specText(s: KdSettings): string {
  return [
    "spec tiny_kd",
    "dataset tiny = synthetic { history = 10 }",
    "tower users = multi_interest(tiny) { embedding = 32  interests = 3 }",
    "tower items = item_tower(tiny) { embedding = 32 }",
    `tower small_users = multi_interest(tiny) { embedding = 8  interests = 2  attention = self_attention(layers: 1, heads: 1, dropout: ${s.dropout ?? 0}) }`,
    "tower small_items = item_tower(tiny) { embedding = 8 }",
    "model teacher = two_tower(users, items) {",
    "  score = max_interest",
    `  loss = sampled_softmax(negatives: in_batch, temperature: ${TEACHER_LOSS.temperature}, logq: ${TEACHER_LOSS.logq})`,
    "  train { seed = 7 }",
    "}",
    "model plain = two_tower(small_users, small_items) {",
    "  score = max_interest",
    `  loss = sampled_softmax(negatives: in_batch, temperature: ${STUDENT_LOSS.temperature}, logq: ${STUDENT_LOSS.logq})`,
    "  weighting = inverse_frequency",
    "  train { seed = 4 }",
    "}",
    "distill student = distill(teacher: teacher, student: plain) {",
    `  temperature = ${s.temperature}`,
    `  alpha = ${s.alpha}`,
    `  teacher_transform = ${s.transform}`,
    "  train { seed = 4 }",
    "}",
  ].join("\n");
}

let root: string | null = null;
let serial = 0;

/** The program of these settings, compiled and imported. */
export async function twoTowerProgram(settings: KdSettings): Promise<TwoTowerProgram> {
  const result = compileSpec("tiny_kd.recspec", { readFile: () => undefined }, { entryText: specText(settings) });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const model = (await generate(result.ir!)).find((f) => f.name === "model.ts")!.text;
  root ??= mkdtempSync(join(tmpdir(), "two-tower-kd-program-"));
  const dir = join(root, String(serial++));
  mkdirSync(dir);
  const runtime = pathToFileURL(resolve("src/runtime/index.ts")).href;
  writeFileSync(join(dir, "model.ts"), model.replace(/from "recspec\/runtime"/g, `from ${JSON.stringify(runtime)}`));
  const mod = (await import(pathToFileURL(join(dir, "model.ts")).href)) as {
    TeacherModel: TwoTowerProgram["Teacher"];
    PlainModel: TwoTowerProgram["Plain"];
    buildStudent: TwoTowerProgram["buildStudent"];
  };
  return { Teacher: mod.TeacherModel, Plain: mod.PlainModel, buildStudent: mod.buildStudent };
}
