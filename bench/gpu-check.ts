// The GPU device check (`npm run bench:gpu`, run by scripts/gpu-check.sh): prints the WebGPU
// adapter, then measures matmul GFLOP/s and the train/tiger (paper size) and train/sasrec steps in
// examples/s on webgpu beside wasm in the same process, so both numbers come from one machine.
// Takes flags: --tiny (small sizes, for a software adapter such as lavapipe: proves the script
// works, measures nothing worth quoting), --out=FILE (also write the JSON there). Prints progress
// on stderr and one JSON document on stdout: { adapter, results: BenchResult[] } as bench/run.ts's.
import { writeFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs-core";
import { selectBackend } from "../src/runtime/backend/select-backend.js";
import { releaseWebGpu } from "../src/runtime/backend/webgpu-backend.js";
import { rateResult, skippedResult, timeRuns, type BenchResult } from "./lib/measure.js";
import { sasrecStep } from "./models/sasrec.js";
import { TIGER_PAPER, TIGER_SMALL, tigerStep } from "./models/tiger.js";
import type { TrainStep } from "./models/train-step.js";

const args = process.argv.slice(2);
const tiny = args.includes("--tiny");
const outFile = args.find((a) => a.startsWith("--out="))?.slice("--out=".length);
const log = (line: string): void => void process.stderr.write(`${line}\n`);

type Backend = "webgpu" | "wasm";
const BACKENDS: Backend[] = ["webgpu", "wasm"];
const MATMUL_SIZES = tiny ? [128, 256] : [1024, 2048, 4096];
const TRAIN: { name: string; build: () => TrainStep }[] = [
  // Paper size at batch 256 in micro-batches of 64, as bench/cases/train.ts runs it on wasm.
  { name: "train/tiger", build: () => (tiny ? tigerStep(TIGER_SMALL, 8) : tigerStep(TIGER_PAPER, 256, 64)) },
  { name: "train/sasrec", build: () => (tiny ? sasrecStep(8) : sasrecStep(256, 128)) },
];

/** Makes a backend current; its description, or an Error saying why it cannot run. */
async function use(backend: Backend): Promise<string | Error> {
  try {
    const selected = await selectBackend(backend);
    return selected.matmul;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

async function matmulRate(n: number, backend: Backend, config: string): Promise<BenchResult> {
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  // Reading one element back waits for the product: timing stops when the device is done.
  const once = async (): Promise<void> => {
    const c = tf.matMul(a, b);
    const corner = tf.slice(c, [0, 0], [1, 1]);
    await corner.data();
    tf.dispose([c, corner]);
  };
  try {
    const samples = await timeRuns(once, { warmup: 1, repeats: tiny ? 3 : 10, budgetSeconds: tiny ? 5 : 20 });
    return rateResult({ case: `matmul/${n}`, backend, config }, samples, (2 * n ** 3) / 1e9, "GFLOP/s");
  } finally {
    tf.dispose([a, b]);
  }
}

async function trainRate(c: (typeof TRAIN)[number], backend: Backend): Promise<BenchResult> {
  const step = c.build();
  try {
    await step.step(); // warm-up: variables, optimizer slots, shader compilation
    const samples = await timeRuns(() => step.step(), { warmup: 0, repeats: tiny ? 2 : 5, budgetSeconds: tiny ? 10 : 60 });
    return rateResult({ case: c.name, backend, config: step.config }, samples, step.examples, "examples/s");
  } finally {
    step.dispose();
  }
}

const results: BenchResult[] = [];
let adapter = "none";
for (const backend of BACKENDS) {
  const described = await use(backend);
  if (described instanceof Error) {
    log(`${backend}: unavailable (${described.message.split("\n")[0]})`);
    for (const n of MATMUL_SIZES) results.push(skippedResult({ case: `matmul/${n}`, backend, config: "" }, "GFLOP/s", described.message));
    for (const c of TRAIN) results.push(skippedResult({ case: c.name, backend, config: "" }, "examples/s", described.message));
    continue;
  }
  if (backend === "webgpu") adapter = described;
  log(`${backend}: ${described}`);
  for (const n of MATMUL_SIZES) {
    const r = await matmulRate(n, backend, described);
    log(`  matmul ${n}×${n}: ${r.median.toFixed(1)} GFLOP/s`);
    results.push(r);
  }
  for (const c of TRAIN) {
    const r = await trainRate(c, backend).catch((error: Error) =>
      skippedResult({ case: c.name, backend, config: "" }, "examples/s", error.message.split("\n")[0]),
    );
    log(`  ${c.name}: ${Number.isNaN(r.median) ? `failed: ${r.note}` : `${r.median.toFixed(1)} examples/s (${r.config})`}`);
    results.push(r);
  }
}
const doc = JSON.stringify({ adapter, tiny, results }, null, 2);
console.log(doc);
if (outFile !== undefined) writeFileSync(outFile, `${doc}\n`);
releaseWebGpu();
