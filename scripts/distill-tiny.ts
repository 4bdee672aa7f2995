// A tiny end-to-end distillation run, for measuring, not a test: the first U users of Amazon
// Beauty (their items re-indexed by readAmazon), or with `synthetic:U` the synthetic generator's
// U users (20 clusters × 25 items, sequences of 20, seed 0), a SASRec teacher as specs/distill.recspec has it
// (d 64, 2 layers, 2 heads, d_ff 256, dropout 0.2, Adam 1e-3, batch 256), then two students from
// the same seed (d 16, 1 layer): plain training (α = 0, which equals an undistilled student bit for
// bit) and distillation with the given transform, τ and α. Every model is evaluated on the TEST
// split (full-catalogue ranking, Recall@10 / NDCG@10 with 1000-bootstrap intervals, popularity
// baseline); the distillation analysis goes to <out>/student/distill-analysis.json.
//   nice -n 10 npx tsx scripts/distill-tiny.ts [users] [teacher epochs] [student epochs] [transform] [alpha] [tau] [precompute]
//   e.g. nice -n 10 npx tsx scripts/distill-tiny.ts 1000 10 10 full 0.9 4 1
//        nice -n 10 npx tsx scripts/distill-tiny.ts synthetic:2000 10 10 full 0.9 4 1
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DistillModel } from "../src/runtime/distill/distill-model.js";
import type { TeacherTransform } from "../src/runtime/distill/transforms.js";
import type { SequentialConfig } from "../src/runtime/models/config.js";
import { sequentialModel } from "../src/runtime/models/sequential.js";
import type { RecModel } from "../src/runtime/models/rec-model.js";
import { evaluateModel, formatEvaluation } from "../src/runtime/pipeline/evaluate-model.js";
import { prepareDataset, type PreparedData } from "../src/runtime/pipeline/prepare-data.js";
import type { EvaluationSpec, TrainSpec } from "../src/runtime/pipeline/specs.js";
import { trainModel } from "../src/runtime/pipeline/train-model.js";
import type { Run } from "../src/runtime/program/run.js";
import { analyzeDistill, buildDistill } from "../src/runtime/program/stages-distill.js";
import type { BlockSpec } from "../src/runtime/program/types.js";
import { startRuntime } from "../src/runtime/setup.js";

const source = process.argv[2] ?? "1000";
const synthetic = source.startsWith("synthetic:");
const users = Number(synthetic ? source.slice("synthetic:".length) : source);
const teacherEpochs = Number(process.argv[3] ?? 10);
const studentEpochs = Number(process.argv[4] ?? 10);
const transform = parseTransform(process.argv[5] ?? "full");
const alpha = Number(process.argv[6] ?? 0.9);
const tau = Number(process.argv[7] ?? 4);
const precompute = (process.argv[8] ?? "1") === "1";

const info = await startRuntime();
const out = mkdtempSync(join(tmpdir(), "distill-tiny-"));
const history = { split: "leave_last_out", history: 50, window: 30, stride: 5, cold_start: 0, min_length: 3 };
let data: PreparedData;
if (synthetic) {
  const attributes = { users, clusters: 20, items_per_cluster: 25, interests_per_user: 3, interest_power: 1, item_power: 0.5, stay: 0.6, switch: 0.3, return: 0.5, length: 20, seed: 0 };
  data = await prepareDataset({ name: "synthetic", type: "synthetic", attributes: { ...attributes, ...history } }, { baseDir: process.cwd() });
} else {
  const sliceDir = join(out, "beauty-slice");
  mkdirSync(sliceDir);
  const lines = readFileSync("data/amazon-beauty/Beauty.txt", "utf8").split("\n").filter((l) => l.trim() !== "");
  writeFileSync(join(sliceDir, "Beauty.txt"), lines.slice(0, users).join("\n") + "\n");
  data = await prepareDataset({ name: "beauty-slice", type: "amazon", attributes: { dir: sliceDir, name: "Beauty", ...history } }, { baseDir: process.cwd() });
}
console.log(
  `backend ${info.backend} (${info.matmul}); ${synthetic ? "synthetic" : `Beauty first ${users} users`}: ${data.store.numUsers} users, ${data.numItems} items, ` +
    `${data.store.numInteractions} interactions; ${data.split.train.length} train / ${data.split.test.length} test users; out ${out}`,
);

const encoder = (layers: number, d: number) => ({
  type: "transformer" as const,
  layers,
  heads: 2,
  head_dim: d / 2,
  d_model: d,
  d_ff: 256,
  dropout: 0.2,
  causal: true,
  activation: "gelu" as const,
  norm: "pre" as const,
  max_positions: 512,
});
const teacherConfig: SequentialConfig = { embedding: 64, encoder: encoder(2, 64), loss: { type: "softmax", label_smoothing: 0 }, positions: "all" };
const studentConfig: SequentialConfig = { embedding: 16, encoder: encoder(1, 16), loss: { type: "softmax", label_smoothing: 0 }, positions: "all" };
const train = (epochs: number): TrainSpec => ({
  optimizer: { type: "adam", lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
  schedule: { type: "constant" },
  epochs,
  steps: null,
  batch: 256,
  micro_batch: null,
  clip: 0,
  early_stop: null,
  patience: 3,
  checkpoint_every: 100000,
  seed: 0,
});
const evaluation: EvaluationSpec = {
  split: "test",
  metrics: [
    { metric: "recall", k: 10 },
    { metric: "ndcg", k: 10 },
  ],
  slices: [{ type: "all" }, { type: "popularity", head: 0.2 }],
  candidates: { type: "full" },
  exclude_history: false,
  baseline: true,
  bootstrap: 1000,
};

const log = (line: string) => console.log(line);
const run: Run = { spec: "distill-tiny", specDir: process.cwd(), dir: out, resume: false, stage: "run", backend: info.backend, matmul: info.matmul, log, progress: process.stderr, startedAt: Date.now() };

async function fit(name: string, model: RecModel, epochs: number): Promise<void> {
  const r = await trainModel(model, data, train(epochs), { runDir: join(out, name), log, progressStream: false });
  console.log(`${name}: ${model.params.count().toLocaleString("en-US")} parameters, ${r.epochs} epochs, ${r.steps} steps in ${r.seconds.toFixed(0)} s`);
}

async function test(model: RecModel, d: PreparedData): Promise<void> {
  console.log(formatEvaluation(await evaluateModel(model, d, evaluation)));
}

const teacher = sequentialModel(teacherConfig, data, 0, "teacher");
await fit("teacher", teacher, teacherEpochs);
await test(teacher, data);

const distillBlock = (a: number): BlockSpec => ({
  name: "student",
  kind: "distill",
  type: "distill",
  dataset: data.name,
  attributes: {
    teacher: { ref: "teacher" },
    student: { model: "teacher", type: "sequential", overrides: { embedding: 16, "encoder.layers": 1 }, attributes: studentConfig as unknown as Record<string, unknown> },
    temperature: tau,
    alpha: a,
    teacher_transform: transform,
    precompute,
    checkpoint: null,
  },
  train: { seed: 0 },
});

const plain = buildDistill({ ...distillBlock(0), name: "student-plain" }, data, teacher, run);
await fit("student-plain", plain, studentEpochs);
await test(plain, data);

const t0 = performance.now();
const block = distillBlock(alpha);
const student = buildDistill(block, data, teacher, run) as DistillModel;
console.log(`buildDistill (incl. precompute) ${((performance.now() - t0) / 1000).toFixed(1)} s`);
await fit("student", student, studentEpochs);
await test(student, data);
const analysis = await analyzeDistill(run, student, data, { seed: 0 });
if (analysis) console.log(JSON.stringify({ reweighting: analysis.reweighting, similarityCorrelation: analysis.similarity.correlation }, null, 1));

function parseTransform(s: string): TeacherTransform {
  const m = /^(\w+)(?:\((\d*\.?\d+)\))?$/.exec(s);
  if (!m) throw new Error(`bad transform ${s}`);
  const v = m[2] === undefined ? undefined : Number(m[2]);
  switch (m[1]) {
    case "full":
    case "pt":
      return { type: m[1] };
    case "label_smoothing":
      return { type: "label_smoothing", epsilon: v ?? 0.1 };
    case "sim":
      return { type: "sim", rho: v ?? 0.1 };
    case "topk":
      return { type: "topk", k: v ?? 10 };
    default:
      throw new Error(`unknown transform ${s}`);
  }
}
