// What the ranking and distillation parity tests share: a spec written, compiled, prepared and
// emitted as a PyTorch package in a folder; the TypeScript side of a first-batch comparison (loss,
// every gradient by weight name, scores) written for family_parity_check.py; and running commands
// in the package folder. Takes folders, spec text and models; gives paths and parsed reports.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { prepareSpec } from "../../src/cli/prepare.js";
import { diskHost } from "../../src/cli/host.js";
import { generatePytorch } from "../../src/compiler/codegen-pytorch/index.js";
import { compileSpec } from "../../src/compiler/compile.js";
import type { IR } from "../../src/ir/index.js";
import { makeBatch } from "../../src/runtime/data/batching.js";
import type { LossContext, RecModel } from "../../src/runtime/models/rec-model.js";
import { decodeNpy, encodeNpy } from "../../src/runtime/prepare/npy.js";
import type { PreparedManifest } from "../../src/runtime/prepare/write-prepared.js";

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

/** Runs a command in `cwd`; its stdout, or a failure with its stderr. */
export function sh(cwd: string, command: string, args: string[]): string {
  const r = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: "1" } });
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
  weights_diff?: Record<string, number>[];
  weights_moved?: number;
}

/** family_parity_check.py's report on the package against `expected` (and run folders' weights). */
export function parityReport(python: string, pkg: PreparedPackage, expected: string, runs: string[] = []): ParityReport {
  const check = join(import.meta.dirname, "family_parity_check.py");
  return JSON.parse(sh(pkg.py, python, [check, pkg.py, pkg.prepared, expected, ...runs])) as ParityReport;
}
