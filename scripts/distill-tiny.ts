// A tiny end-to-end distillation run, for measuring, not a test: the first U users of Amazon
// Beauty (their items re-indexed by readAmazon), or with `synthetic:U` the synthetic generator's
// U users (20 clusters × 25 items, sequences of 20, seed 0), a SASRec teacher as specs/distill.recspec has it
// (d 64, 2 layers, 2 heads, d_ff 256, dropout 0.2, Adam 1e-3, batch 256), then two students from
// the same seed (d 16, 1 layer): plain training (α = 0, which equals an undistilled student bit for
// bit) and distillation with the given transform, τ and α. Every model is evaluated on the TEST
// split (full-catalogue ranking, Recall@10 / NDCG@10 with 1000-bootstrap intervals, popularity
// baseline); the distillation analysis goes to <out>/student/distill-analysis.json. The teacher and
// the students are the classes generated/distill/model.ts defines (specs/distill.recspec compiled).
//   nice -n 10 npx tsx scripts/distill-tiny.ts [users] [teacher epochs] [student epochs] [transform] [alpha] [tau] [precompute]
//   e.g. nice -n 10 npx tsx scripts/distill-tiny.ts 1000 10 10 full 0.9 4 1
//        nice -n 10 npx tsx scripts/distill-tiny.ts synthetic:2000 10 10 full 0.9 4 1
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DistillModel } from "../src/runtime/distill/distill-model.js";
import { fullTarget, labelSmoothingTarget, ptTarget, simTarget, topkTarget, type TeacherTarget } from "../src/runtime/distill/transforms.js";
import { StudentNetwork, TeacherModel } from "../generated/distill/model.js";
import type { IREvaluation, TrainAttributes } from "../src/ir/index.js";
import { readAmazon } from "../src/runtime/data/read-amazon.js";
import { generateSynthetic } from "../src/runtime/data/synthetic.js";
import type { TransformerConfig } from "../src/runtime/layers/transformer.js";
import type { RecModel } from "../src/runtime/models/rec-model.js";
import { evaluateModel, formatEvaluation } from "../src/runtime/pipeline/evaluate-model.js";
import { prepareInteractions, type PreparedData, type SplitOptions } from "../src/runtime/pipeline/prepare-data.js";
import { trainModel } from "../src/runtime/pipeline/train-model.js";
import type { Run } from "../src/runtime/program/run.js";
import { analyzeDistill, precomputeTeacher } from "../src/runtime/program/stages-distill.js";
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
const splitting: SplitOptions = { split: "leave_last_out", history: 50, window: 30, stride: 5, coldStart: 0, minLength: 3 };
let data: PreparedData;
if (synthetic) {
  const generated = generateSynthetic(
    {
      users,
      clusters: 20,
      itemsPerCluster: 25,
      interestsPerUser: 3,
      interestPower: 1,
      itemPower: 0.5,
      stay: 0.6,
      switch: 0.3,
      nonInterestStay: 0.5,
      length: 20,
      seed: 0,
    },
    "synthetic",
  );
  data = prepareInteractions("synthetic", { store: generated.store, synthetic: generated }, splitting);
} else {
  const sliceDir = join(out, "beauty-slice");
  mkdirSync(sliceDir);
  const lines = readFileSync("data/amazon-beauty/Beauty.txt", "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "");
  writeFileSync(join(sliceDir, "Beauty.txt"), lines.slice(0, users).join("\n") + "\n");
  data = prepareInteractions("beauty-slice", { store: await readAmazon(sliceDir, "Beauty") }, splitting);
}
console.log(
  `backend ${info.backend} (${info.matmul}); ${synthetic ? "synthetic" : `Beauty first ${users} users`}: ${data.store.numUsers} users, ${data.numItems} items, ` +
    `${data.store.numInteractions} interactions; ${data.split.train.length} train / ${data.split.test.length} test users; out ${out}`,
);

/** The teacher's transformer as generated/distill/model.ts holds it (the distillation's teacher encoder). */
const teacherEncoder: TransformerConfig = {
  layers: 2,
  heads: 2,
  headDim: 32,
  dModel: 64,
  dFF: 256,
  dropout: 0.2,
  causal: true,
  activation: "gelu",
  norm: "pre",
};
const train = (epochs: number): TrainAttributes => ({
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
  checkpoint_minutes: 5,
  seed: 0,
});
const evaluation: IREvaluation = {
  model: "student",
  dataset: data.name,
  split: "test",
  metrics: [
    { metric: "recall", k: 10 },
    { metric: "ndcg", k: 10 },
  ],
  slices: [{ type: "all" }, { type: "popularity", head: 0.2 }],
  candidates: { type: "full" },
  exclude_history: false,
  baseline: true,
  baselines: null,
  bootstrap: 1000,
};

const log = (line: string) => console.log(line);
const run: Run = {
  spec: "distill-tiny",
  specDir: process.cwd(),
  dir: out,
  resume: false,
  stage: "run",
  backend: info.backend,
  matmul: info.matmul,
  log,
  progress: process.stderr,
  startedAt: Date.now(),
};

async function fit(name: string, model: RecModel, epochs: number): Promise<void> {
  const r = await trainModel(model, data, train(epochs), { runDir: join(out, name), log, progressStream: false });
  console.log(`${name}: ${model.params.count().toLocaleString("en-US")} parameters, ${r.epochs} epochs, ${r.steps} steps in ${r.seconds.toFixed(0)} s`);
}

async function test(model: RecModel, d: PreparedData): Promise<void> {
  console.log(formatEvaluation(await evaluateModel(model, d, evaluation)));
}

const teacher = new TeacherModel(data);
await fit("teacher", teacher, teacherEpochs);
await test(teacher, data);

/** A student of the same seed distilled with weight a (a = 0: plain training, bit for bit). */
async function distilled(name: string, a: number): Promise<DistillModel> {
  const student = new StudentNetwork(data);
  const cache = precompute && a > 0 && transform.readsProbabilities ? await precomputeTeacher(run, name, teacher, student.trainingExamples, "all") : null;
  const settings = { temperature: tau, alpha: a, target: transform, positions: "all" as const, labelSmoothing: 0, teacherEncoder };
  return new DistillModel(student, teacher, settings, cache, name);
}

const plain = await distilled("student-plain", 0);
await fit("student-plain", plain, studentEpochs);
await test(plain, data);

const t0 = performance.now();
const student = await distilled("student", alpha);
console.log(`student built (incl. precompute) ${((performance.now() - t0) / 1000).toFixed(1)} s`);
await fit("student", student, studentEpochs);
await test(student, data);
const analysis = await analyzeDistill(run, student, data, { seed: 0 });
if (analysis) console.log(JSON.stringify({ reweighting: analysis.reweighting, similarityCorrelation: analysis.similarity.correlation }, null, 1));

function parseTransform(s: string): TeacherTarget {
  const m = /^(\w+)(?:\((\d*\.?\d+)\))?$/.exec(s);
  if (!m) throw new Error(`bad transform ${s}`);
  const v = m[2] === undefined ? undefined : Number(m[2]);
  switch (m[1]) {
    case "full":
      return { label: "full", readsProbabilities: true, of: fullTarget };
    case "pt":
      return { label: "pt", readsProbabilities: true, of: ptTarget };
    case "label_smoothing":
      return { label: `label_smoothing(epsilon=${v ?? 0.1})`, readsProbabilities: false, of: (rows) => labelSmoothingTarget(rows, v ?? 0.1) };
    case "sim":
      return { label: `sim(rho=${v ?? 0.1})`, readsProbabilities: false, of: (rows) => simTarget(rows, v ?? 0.1) };
    case "topk":
      return { label: `topk(k=${v ?? 10})`, readsProbabilities: true, of: (rows) => topkTarget(rows, v ?? 10) };
    default:
      throw new Error(`unknown transform ${s}`);
  }
}
