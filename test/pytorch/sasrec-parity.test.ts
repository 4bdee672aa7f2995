// The PyTorch target against the TypeScript one on a tiny SASRec spec (18 items, d 8, one block, no
// dropout, early stopping on ndcg@5): `recspec prepare` hands over the TypeScript program's initial weights and batches;
// loss, gradients and scores of the first batch agree to 1e-5; a short training in each target
// lands on metrics inside each other's bootstrap intervals; `torchrun --nproc_per_node=2` (gloo)
// trains to the same weights as one process on the same global batches; with a uniform sampled
// softmax, the negatives handed over are the TypeScript trainer's and give the same first-batch loss
// and gradients. The three first-batch checks (with the trained runs' weights) run in one Python
// process, after train.py's runs. Skips, saying why, where no python3 imports torch.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeBatch } from "../../src/runtime/data/batching.js";
import type { RecModel } from "../../src/runtime/models/rec-model.js";
import { evaluateModel, type EvaluationResult } from "../../src/runtime/pipeline/evaluate-model.js";
import type { PreparedData } from "../../src/runtime/pipeline/prepare-data.js";
import { weighsBatchesByTargets } from "../../src/ir/weighs-batches-by-targets.js";
import { trainModel } from "../../src/runtime/pipeline/train-model.js";
import type { Run } from "../../src/runtime/program/run.js";
import { decodeNpy, encodeNpy } from "../../src/runtime/prepare/npy.js";
import type { PreparedManifest } from "../../src/runtime/prepare/write-prepared.js";
import { uniformItems } from "../../src/runtime/models/sampled-softmax.js";
import { Rng } from "../../src/runtime/random.js";
import { useCpuBackend } from "../helpers/tf.js";
import { generatedModule, parityReports, preparedPackage, sh, trainOnTwoProcesses, type ParityReport, type PreparedPackage } from "./family-parity.js";
import { torchPython } from "./torch-python.js";

const SPEC = `spec pt_tiny

dataset synth = synthetic {
  users             = 120
  clusters          = 3
  items_per_cluster = 6
  stay              = 0.8
  switch            = 0.1
  length            = 12
  history           = 8
  seed              = 3
}

model seq = sequential(synth) {
  embedding = 8
  encoder   = transformer(layers: 1, heads: 2, d_ff: 16, dropout: 0, causal: true)

  train {
    optimizer = adam(lr: 5e-3)
    epochs     = 2
    batch      = 32
    early_stop = ndcg@5
    patience   = 1
  }
}

evaluate seq on synth.test {
  metrics   = [recall@5, ndcg@5]
  slices    = [all, popularity(head: 0.2)]
  bootstrap = 200
}
`;

const python = torchPython();

/** The post-LN, two-layer variant: narrow heads, label smoothing, last-position training. */
const VARIANT = SPEC.replace(
  "transformer(layers: 1, heads: 2, d_ff: 16, dropout: 0, causal: true)",
  "transformer(layers: 2, heads: 2, head_dim: 3, d_ff: 16, dropout: 0, causal: true, activation: relu, norm: post)\n  loss      = softmax(label_smoothing: 0.1)\n  positions = last",
);

/** A uniform sampled softmax of 8 negatives. */
const SAMPLED = SPEC.replace("causal: true)", "causal: true)\n  loss      = sampled_softmax(negatives: uniform, count: 8)");

/**
 * The TypeScript side of a first-batch comparison: the loss, every gradient (by weight name) and
 * the scores of the model on the first prepared batch, written as .npy files and expected.json
 * for family_parity_check.py. The model is in training mode; the specs have no dropout.
 */
async function writeExpected(model: RecModel, data: PreparedData, manifest: PreparedManifest, prepared: string, out: string): Promise<string> {
  const handed = manifest.models[model.name];
  const order = decodeNpy(readFileSync(join(prepared, handed.batchOrder.file))).data;
  const offsets = decodeNpy(readFileSync(join(prepared, handed.batchOffsets.file))).data;
  const batch = makeBatch(data.split.train, order.subarray(0, offsets[1]), model.historyLength);
  const vars = model.params.variables();
  const names = new Map([...vars].map(([name, v]) => [v.name, name]));
  // The stream the trainer hands update 1's loss (train-loop.ts): what a sampled softmax draws from.
  const rng = new Rng(handed.train.seed).fork("step/1/0");
  const { value, grads } = tf.variableGrads(() => model.loss(batch, { training: true, rng }), [...vars.values()]);
  mkdirSync(out);
  const files: Record<string, string> = {};
  for (const [id, g] of Object.entries(grads)) {
    const name = names.get(id)!;
    files[name] = `${name.replaceAll("/", ".")}.npy`;
    writeFileSync(join(out, files[name]), encodeNpy(g.dataSync() as Float32Array, g.shape));
  }
  const scores = await model.scoreItems(batch.histories, batch.size);
  writeFileSync(join(out, "scores.npy"), encodeNpy(scores.dataSync() as Float32Array, scores.shape));
  const cls = `${model.name[0].toUpperCase()}${model.name.slice(1)}Model`;
  writeFileSync(join(out, "expected.json"), JSON.stringify({ model: model.name, class: cls, loss: value.dataSync()[0], grads: files }));
  tf.dispose([value, scores, ...Object.values(grads)]);
  return out;
}

// Seconds of CPU each, but several Python processes start per test: generous limits for a busy machine.
describe.skipIf(python === undefined)("PyTorch target: SASRec against the TypeScript program", { timeout: 300_000 }, () => {
  let dir: string;
  let pkg: PreparedPackage;
  let manifest: PreparedManifest;
  let data: PreparedData;
  let makeModel: () => RecModel;
  let checked: Promise<{ variables: Map<string, number>; reports: Map<string, ParityReport>; packages: Map<string, PreparedPackage> }> | undefined;

  /**
   * The TypeScript side's first batch of the spec and of its two variants (each prepared and
   * emitted in a folder of its own), train.py's runs of the spec (one process, two processes,
   * and one stopped after 5 steps then resumed), then one Python process's checks of all three.
   * Run once, on the first call.
   */
  function checkedOnce() {
    checked ??= (async () => {
      const variables = new Map<string, number>();
      const packages = new Map<string, PreparedPackage>([["spec", pkg]]);
      const cases = [];
      for (const [name, text] of [
        ["spec", SPEC],
        ["variant", VARIANT],
        ["sampled", SAMPLED],
      ] as const) {
        const p = name === "spec" ? pkg : await preparedPackage(join(dir, name), "pt_tiny", text);
        packages.set(name, p);
        const { exports } = await generatedModule("pt_tiny.recspec", text);
        const model = new (exports.SeqModel as new (d: PreparedData) => RecModel)(data);
        variables.set(name, model.params.variables().size);
        const expected = await writeExpected(model, data, p.manifest, p.prepared, join(p.dir, "expected"));
        model.dispose();
        cases.push({ package: p.py, prepared: p.prepared, expected, runs: name === "spec" ? ["one", "ddp", "cut"].map((r) => join(dir, r)) : [] });
      }
      const { py, prepared: prep } = pkg;
      sh(py, python!, ["train.py", "--data", prep, "--run", join(dir, "one")]);
      await trainOnTwoProcesses(python!, py, prep, join(dir, "ddp"));
      // Stopped after 5 of 8 steps (checkpoints at 2, 4 and at exit), then resumed to the end.
      sh(py, python!, ["train.py", "--data", prep, "--run", join(dir, "cut"), "--max-steps", "5", "--checkpoint-every", "2"]);
      expect(readdirSync(join(dir, "cut", "seq", "checkpoints")).sort()).toEqual(["ckpt-2.pt", "ckpt-4.pt", "ckpt-5.pt"]);
      sh(py, python!, ["train.py", "--data", prep, "--run", join(dir, "cut"), "--resume"]);
      const reports = parityReports(python!, cases);
      return { variables, packages, reports: new Map(["spec", "variant", "sampled"].map((name, i) => [name, reports[i]])) };
    })();
    return checked;
  }

  beforeAll(async () => {
    await useCpuBackend();
    dir = mkdtempSync(join(tmpdir(), "pytorch-parity-"));
    pkg = await preparedPackage(dir, "pt_tiny", SPEC);
    manifest = pkg.manifest;
    const { exports } = await generatedModule("pt_tiny.recspec", SPEC);
    const run = { specDir: dir, log: () => undefined } as unknown as Run;
    data = await (exports.loadSynth as (run: Run) => Promise<PreparedData>)(run);
    makeModel = () => new (exports.SeqModel as new (d: PreparedData) => RecModel)(data);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("hands over the TypeScript model's initial weights and the trainer's batches", () => {
    const model = makeModel();
    const prepared = manifest.models.seq;
    for (const [name, v] of model.params.variables()) {
      expect(Array.from(decodeNpy(readFileSync(join(dir, "prepared", prepared.init[name].file))).data)).toEqual(Array.from(v.dataSync()));
    }
    expect(Object.keys(prepared.init).length).toBe(model.params.variables().size);
    const order = decodeNpy(readFileSync(join(dir, "prepared", prepared.batchOrder.file)));
    expect(order.shape).toEqual([2, data.split.train.length]);
    // Every example once per epoch, and the two epochs in different orders.
    expect([...order.data.subarray(0, 120)].sort((a, b) => a - b)).toEqual(Array.from({ length: 120 }, (_, i) => i));
    expect(Array.from(order.data.subarray(0, 120))).not.toEqual(Array.from(order.data.subarray(120)));
    model.dispose();
  });

  it("gives the same loss, gradients and scores on the first batch (1e-5), and DDP on 2 processes the same weights as one", async () => {
    const { variables: counts, reports } = await checkedOnce();
    const variables = counts.get("spec")!;
    const steps = readFileSync(join(dir, "cut", "seq", "metrics.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { step: number; name: string })
      .filter((row) => row.name === "loss")
      .map((row) => row.step);
    expect(steps).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const report = reports.get("spec")!;
    console.log(`PyTorch vs TypeScript: ${JSON.stringify({ ...report, weights_diff: undefined })}`);
    expect(report.grads).toBe(variables);
    expect(report.loss_diff).toBeLessThan(1e-5);
    expect(report.scores_diff).toBeLessThan(1e-5);
    expect(report.grad_diff).toBeLessThan(1e-5);
    // Training moved the weights, and the two-process job moved them as one process did. The
    // attention key bias is left out: it adds q·b to every key of a query alike, which softmax
    // cancels, so its gradient is rounding noise (~1e-9) that Adam scales up to steps of ~lr in
    // either target; every other weight agrees.
    expect(report.key_bias_grad).toBeLessThan(1e-6);
    expect(report.weights_moved).toBeGreaterThan(1e-3);
    const [ddp, resumed] = report.weights_diff!;
    expect(Object.keys(ddp).length).toBe(variables);
    for (const [name, diff] of Object.entries(ddp)) if (!name.endsWith("key.bias")) expect(diff, name).toBeLessThan(1e-5);
    // A resumed run continues exactly where the checkpoint left it: bit for bit in one process.
    for (const [name, diff] of Object.entries(resumed)) expect(diff, name).toBe(0);
  });

  it("trains in each target to metrics inside each other's bootstrap intervals", async () => {
    const model = makeModel();
    const block = pkg.ir.blocks.find((b) => b.name === "seq")!;
    await trainModel(model, data, block.train as never, {
      runDir: join(dir, "ts-run"),
      // As the generated train.ts asks: early stopping ranks as the evaluation does, and each
      // length-bucketed batch counts by its target positions.
      excludeHistory: pkg.ir.evaluations.some((e) => e.model === "seq" && e.exclude_history),
      weighBatchesByTargets: weighsBatchesByTargets(block),
      log: () => undefined,
      progressStream: false,
    });
    const ts: EvaluationResult = await evaluateModel(model, data, pkg.ir.evaluations[0]);
    model.dispose();
    // train.py's one-process run.
    await checkedOnce();
    const py = join(dir, "py");
    sh(py, python!, ["evaluate.py", "--data", join(dir, "prepared"), "--run", join(dir, "one")]);
    const [torchResult] = JSON.parse(readFileSync(join(dir, "one", "results.json"), "utf8")) as EvaluationResult[];
    expect(torchResult.rows.map((r) => `${r.metric} ${r.slice} ${r.n}`)).toEqual(ts.rows.map((r) => `${r.metric} ${r.slice} ${r.n}`));
    expect(torchResult.protocol).toBe(ts.protocol);
    const gaps = ts.rows.map((r, i) => {
      const t = torchResult.rows[i];
      expect(r.value).toBeGreaterThanOrEqual(t.low);
      expect(r.value).toBeLessThanOrEqual(t.high);
      expect(t.value).toBeGreaterThanOrEqual(r.low);
      expect(t.value).toBeLessThanOrEqual(r.high);
      // The popularity baseline is the same lists in both targets.
      expect(t.baseline!.value).toBeCloseTo(r.baseline!.value, 12);
      return Math.abs(r.value - t.value);
    });
    console.log(`largest metric gap between the targets: ${Math.max(...gaps)}`);
    // Early stopping saw the same validation values after each epoch.
    const validation = (file: string) =>
      readFileSync(file, "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { step: number; split: string; name: string; value: number })
        .filter((row) => row.split === "val");
    const tsValidation = validation(join(dir, "ts-run", "metrics.jsonl"));
    const torchValidation = validation(join(dir, "one", "seq", "metrics.jsonl"));
    expect(tsValidation.map((r) => `${r.step} ${r.name}`)).toEqual(["4 val_ndcg@5", "8 val_ndcg@5"]);
    expect(torchValidation.map((r) => `${r.step} ${r.name}`)).toEqual(tsValidation.map((r) => `${r.step} ${r.name}`));
    tsValidation.forEach((r, i) => expect(torchValidation[i].value).toBeCloseTo(r.value, 6));
  });

  it("agrees on a post-LN, two-layer variant with narrow heads, label smoothing and last-position training", async () => {
    expect(VARIANT).toContain("norm: post");
    const { variables, reports } = await checkedOnce();
    const report = reports.get("variant")!;
    console.log(`PyTorch vs TypeScript, variant: ${JSON.stringify(report)}`);
    expect(report.grads).toBe(variables.get("variant"));
    expect(report.loss_diff).toBeLessThan(1e-5);
    expect(report.scores_diff).toBeLessThan(1e-5);
    expect(report.grad_diff).toBeLessThan(1e-5);
  });

  it("agrees on a uniform sampled softmax, training on the negatives the TypeScript trainer drew", async () => {
    expect(SAMPLED).toContain("count: 8");
    const { variables, reports, packages } = await checkedOnce();
    const sampled = packages.get("sampled")!;
    const sdir = sampled.dir;
    const sampledManifest = sampled.manifest;
    expect(readFileSync(join(sampled.py, "model.py"), "utf8")).not.toContain("randint");

    // One row of 8 per update (2 epochs of 4 batches), update 1's from the trainer's step-1 stream as
    // the generated loss forks it; the updates draw different negatives.
    const handed = sampledManifest.models.seq.sequential!.negatives;
    const negatives = decodeNpy(readFileSync(join(sdir, "prepared", handed.file)));
    expect(negatives.shape).toEqual([8, 8]);
    const seed = sampledManifest.models.seq.train.seed;
    const stepOne = uniformItems(8, data.store.numItems, new Rng(seed).fork("step/1/0").fork("negatives"));
    expect(Array.from(negatives.data.subarray(0, 8))).toEqual(Array.from(stepOne));
    expect(Array.from(negatives.data.subarray(8, 16))).not.toEqual(Array.from(stepOne));
    for (const item of negatives.data) expect(item >= 1 && item <= data.store.numItems).toBe(true);

    const report = reports.get("sampled")!;
    console.log(`PyTorch vs TypeScript, sampled softmax: ${JSON.stringify(report)}`);
    expect(report.grads).toBe(variables.get("sampled"));
    expect(report.loss_diff).toBeLessThan(1e-5);
    expect(report.grad_diff).toBeLessThan(1e-5);
    // A sampled loss over 9 candidates lies well below the full softmax's log(19).
    expect(report.loss).toBeLessThan(Math.log(19) - 0.3);
    // train.py reads each update's negatives from the batch: its first logged loss is the same one.
    sh(join(sdir, "py"), python!, ["train.py", "--data", join(sdir, "prepared"), "--run", join(sdir, "run")]);
    const losses = readFileSync(join(sdir, "run", "seq", "metrics.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { step: number; name: string; value: number })
      .filter((row) => row.name === "loss");
    expect(losses.map((row) => row.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Math.abs(losses[0].value - report.loss)).toBeLessThan(1e-5);
  });
});
