// What the PyTorch parity tests share: a spec written, compiled, prepared and emitted as a PyTorch
// package in a folder; the generated TypeScript model module of a spec text, imported once per
// file; the TypeScript side of a first-batch comparison (loss, every gradient by weight name,
// scores) written for family_parity_check.py; a check script run over many cases in one Python
// process (importing torch is most of a check's time); a two-process torchrun training; and
// running commands in the package folder. Takes folders, spec text and models; gives paths and
// parsed reports.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { expect } from "vitest";
import { prepareSpec } from "../../src/cli/prepare.js";
import { diskHost } from "../../src/cli/host.js";
import { generatePytorch } from "../../src/compiler/codegen-pytorch/index.js";
import { compileSpec } from "../../src/compiler/compile.js";
import type { IR } from "../../src/ir/index.js";
import { selectBackend } from "../../src/runtime/backend/select-backend.js";
import { makeBatch } from "../../src/runtime/data/batching.js";
import type { LossContext, RecModel } from "../../src/runtime/models/rec-model.js";
import { decodeNpy, encodeNpy } from "../../src/runtime/prepare/npy.js";
import type { PreparedManifest } from "../../src/runtime/prepare/write-prepared.js";
import { importGeneratedModel, type GeneratedModule } from "../helpers/generated-model.js";
import { useCpuBackend } from "../helpers/tf.js";
import { freePort } from "./free-port.js";

export interface PreparedPackage {
  readonly dir: string;
  readonly ir: IR;
  readonly manifest: PreparedManifest;
  /** The generated package's folder and the prepared folder. */
  readonly py: string;
  readonly prepared: string;
}

/** Writes `<spec>.recspec` into `dir`, prepares it into dir/prepared and emits the package into dir/py. */
export async function preparedPackage(dir: string, spec: string, text: string): Promise<PreparedPackage> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${spec}.recspec`);
  writeFileSync(file, text);
  const ir = compileSpec(file, diskHost).ir!;
  const prepared = join(dir, "prepared");
  const manifest = await prepareSpec(ir, dir, prepared, () => undefined);
  const py = join(dir, "py");
  mkdirSync(py, { recursive: true });
  for (const f of generatePytorch(ir)) writeFileSync(join(py, f.name), f.text);
  return { dir, ir, manifest, py, prepared };
}

const modules = new Map<string, Promise<GeneratedModule>>();

/**
 * The generated model module of `text`, compiled and imported on the first call for that text
 * and shared after: models built from it are fresh objects with their own weights, and compiling
 * and importing it again would only cost time.
 */
export function generatedModule(fileName: string, text: string): Promise<GeneratedModule> {
  const key = `${fileName}\n${text}`;
  if (!modules.has(key)) modules.set(key, importGeneratedModel(fileName, text));
  return modules.get(key)!;
}

/**
 * `fn` on the wasm backend (the one `recspec run` picks on a CPU), then back on the reference cpu
 * backend the first-batch comparisons use. For a TypeScript training that is compared with
 * PyTorch's only through metrics and their intervals: the cpu backend's kernels are plain
 * JavaScript, tens of times slower on some models (the SID ranker's segment sums).
 */
export async function onWasm<T>(fn: () => Promise<T>): Promise<T> {
  await selectBackend("wasm");
  try {
    return await fn();
  } finally {
    await useCpuBackend();
  }
}

/**
 * Runs a command in `cwd`; its stdout, or a failure with its stderr. Python writes no __pycache__
 * (the checkers import parity_common.py from this folder of the repository).
 */
export function sh(cwd: string, command: string, args: string[]): string {
  const r = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: "1", PYTHONDONTWRITEBYTECODE: "1" } });
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${r.stderr}`);
  return r.stdout;
}

/** The prepared initial weights of `name`, by TypeScript weight name. */
export function preparedWeights(pkg: PreparedPackage, name: string): Map<string, Float32Array> {
  const init = pkg.manifest.models[name].init;
  return new Map(Object.entries(init).map(([w, ref]) => [w, decodeNpy(readFileSync(join(pkg.prepared, ref.file))).data as Float32Array]));
}

/**
 * The TypeScript side of a first-batch comparison: the loss of the model on the first prepared
 * batch in training mode with `ctx`, every gradient and the scores, written into `out` with
 * expected.json (`fields` added to it) for family_parity_check.py.
 */
export async function writeFirstBatch(model: RecModel, pkg: PreparedPackage, ctx: LossContext, out: string, fields: Record<string, string>): Promise<string> {
  const handed = pkg.manifest.models[model.name];
  const order = decodeNpy(readFileSync(join(pkg.prepared, handed.batchOrder.file))).data;
  const offsets = decodeNpy(readFileSync(join(pkg.prepared, handed.batchOffsets.file))).data;
  const batch = makeBatch(model.trainingExamples, order.subarray(0, offsets[1]), model.historyLength);
  const vars = model.params.variables();
  const names = new Map([...vars].map(([name, v]) => [v.name, name]));
  const { value, grads } = tf.variableGrads(() => model.loss(batch, ctx), [...vars.values()]);
  mkdirSync(out, { recursive: true });
  const files: Record<string, string> = {};
  for (const [id, g] of Object.entries(grads)) {
    const name = names.get(id)!;
    files[name] = `${name.replaceAll("/", ".")}.npy`;
    writeFileSync(join(out, files[name]), encodeNpy(g.dataSync() as Float32Array, g.shape));
  }
  const scores = await model.scoreItems(batch.histories, batch.size);
  writeFileSync(join(out, "scores.npy"), encodeNpy(scores.dataSync() as Float32Array, scores.shape));
  writeFileSync(join(out, "expected.json"), JSON.stringify({ model: model.name, loss: value.dataSync()[0], grads: files, ...fields }));
  tf.dispose([value, scores, ...Object.values(grads)]);
  return out;
}

export interface ParityReport {
  loss: number;
  loss_diff: number;
  scores_diff: number;
  grad_diff: number;
  grads: number;
  parameters: number;
  worst_grad: string;
  grad_norm: number;
  /** The largest gradient of an attention key bias, null where the model has none. */
  key_bias_grad: number | null;
  weights_diff?: Record<string, number>[];
  weights_moved?: number;
}

/** The first batch agrees between the targets: every gradient and parameter compared, a gradient
 * that is not vanishing, and loss, scores and gradients within 1e-5. */
export function expectFirstBatchAgrees(report: ParityReport, variables: number): void {
  expect(report.grads).toBe(variables);
  expect(report.parameters).toBe(variables);
  expect(report.grad_norm).toBeGreaterThan(1e-3);
  expect(report.loss_diff).toBeLessThan(1e-5);
  expect(report.scores_diff).toBeLessThan(1e-5);
  expect(report.grad_diff).toBeLessThan(1e-5);
}

/** One comparison for a check script: a package, its prepared folder, the TypeScript side's arrays, runs to compare. */
export interface CheckCase {
  readonly package: string;
  readonly prepared: string;
  readonly expected: string;
  readonly runs?: readonly string[];
}

/**
 * The reports of `script` (a *_check.py beside this file) on every case, in order, from one
 * Python process: the case list goes to the script as JSON (see parity_common.py).
 */
export function checkCases<Report>(python: string, script: string, cases: readonly CheckCase[]): Report[] {
  const file = join(cases[0].expected, "..", `cases-${Date.now()}-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(cases));
  return JSON.parse(sh(cases[0].package, python, [join(import.meta.dirname, script), "--cases", file])) as Report[];
}

/** family_parity_check.py's reports on several cases, in one Python process. */
export function parityReports(python: string, cases: readonly CheckCase[]): ParityReport[] {
  return checkCases<ParityReport>(python, "family_parity_check.py", cases);
}

/** train.py of the package at `py` on `prepared` into `run`, as `torchrun --nproc_per_node=2` (gloo) runs it. */
export async function trainOnTwoProcesses(python: string, py: string, prepared: string, run: string): Promise<void> {
  // --redirects/--tee 1: torch 1.13's launcher cannot parse their default "0" on Python 3.11.
  // --monitor_interval: the launcher polls its workers every 5 s by default, and would sit out
  // most of such a poll after this short training has finished.
  const launch = ["-m", "torch.distributed.run", "--nproc_per_node=2", "--master_port", String(await freePort())];
  sh(py, python, [...launch, "--monitor_interval", "0.1", "--redirects", "1", "--tee", "1", "train.py", "--data", prepared, "--run", run]);
}
