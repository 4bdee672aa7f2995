// The PyTorch target against the TypeScript one on tiny retrieval specs (a 48-user MovieLens-format
// fixture, 30 items): two-towers over user ids with age/gender/occupation and items with genres
// (in-batch softmax, logQ, inverse-frequency weights), a multi-interest tower scored by the max over
// interests (uniform drawn negatives, logQ, hard routing), a transformer sequence encoder (full
// softmax, early stopping on the loss), and matrix factorisation with BPR and with a full softmax;
// the first is evaluated on popularity slices beside popularity and item-kNN baselines.
// `recspec prepare` hands over the initial weights, batches, user and feature rows, item
// probabilities, weights and every update's negatives; loss, gradients and scores of the first
// batch agree to 1e-5; `torchrun --nproc_per_node=2` (gloo) trains to the weights one process
// does; a short training in each target lands inside each other's bootstrap intervals. Skips,
// saying why, where no python3 imports torch.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareSpec } from "../../src/cli/prepare.js";
import { diskHost } from "../../src/cli/host.js";
import { generatePytorch } from "../../src/compiler/codegen-pytorch/index.js";
import { pyClass } from "../../src/compiler/codegen-pytorch/python.js";
import { compileSpec } from "../../src/compiler/compile.js";
import type { IR } from "../../src/ir/index.js";
import { makeBatch } from "../../src/runtime/data/batching.js";
import type { RecModel } from "../../src/runtime/models/rec-model.js";
import { evaluateModel, type EvaluationResult } from "../../src/runtime/pipeline/evaluate-model.js";
import type { PreparedData } from "../../src/runtime/pipeline/prepare-data.js";
import { trainModel } from "../../src/runtime/pipeline/train-model.js";
import type { Run } from "../../src/runtime/program/run.js";
import { decodeNpy, encodeNpy } from "../../src/runtime/prepare/npy.js";
import type { PreparedManifest } from "../../src/runtime/prepare/write-prepared.js";
import { Rng } from "../../src/runtime/random.js";
import { importGeneratedModel } from "../helpers/generated-model.js";
import { useCpuBackend } from "../helpers/tf.js";
import { onWasm, sh, trainOnTwoProcesses } from "./family-parity.js";
import { torchPython } from "./torch-python.js";

const MODELS = ["tt_features", "tt_multi", "tt_seq", "mf_bpr", "mf_softmax"] as const;
const train = (early = "") => `
  train {
    optimizer = adam(lr: 1e-2)
    epochs    = 2
    batch     = 64${early}
  }`;

const SPEC = `spec tt_tiny

dataset ml = movielens("ml") {
  split   = leave_last_out
  history = 10
}

tower users = user_tower(ml) {
  embedding = 8
  features  = [age, gender, occupation]
}

tower items = item_tower(ml) {
  embedding = 8
  features  = [genres]
}

tower plain_items = item_tower(ml) {
  embedding = 8
}

tower interests = multi_interest(ml) {
  embedding = 8
  attention = self_attention(layers: 1, heads: 2)
  interests = 2
}

tower history = sequence_encoder(ml) {
  embedding = 8
  encoder   = transformer(layers: 1, heads: 2, d_ff: 16, dropout: 0, causal: true)
}

model tt_features = two_tower(users, items) {
  loss      = sampled_softmax(negatives: in_batch, logq: true, temperature: 0.1)
  weighting = inverse_frequency
${train()}
}

model tt_multi = two_tower(interests, plain_items) {
  score = max_interest
  loss  = sampled_softmax(negatives: uniform, count: 5, logq: true, temperature: 0.5)
${train()}
}

model tt_seq = two_tower(history, plain_items) {
  loss = softmax
${train("\n    early_stop = loss\n    patience   = 2")}
}

model mf_bpr = matrix_factorization(ml) {
  dim  = 8
  loss = bpr(negatives: 3)
${train()}
}

model mf_softmax = matrix_factorization(ml) {
  dim  = 8
  loss = softmax
${train()}
}

evaluate tt_features on ml.test {
  metrics   = [recall@5, ndcg@5]
  slices    = [all, popularity(head: 0.2)]
  baselines = [popularity, item_knn(k: 10)]
  bootstrap = 200
}
${MODELS.slice(1)
  .map((m) => `\nevaluate ${m} on ml.test {\n  metrics   = [recall@5, ndcg@5]\n  bootstrap = 200\n}\n`)
  .join("")}`;

const python = torchPython();
const fixture = resolve(import.meta.dirname, "../fixtures/data/ml-clusters");

/** Reads one prepared array. */
function npy(prepared: string, file: string) {
  return decodeNpy(readFileSync(join(prepared, file)));
}

describe.skipIf(python === undefined)("PyTorch target: two-tower and matrix factorisation against the TypeScript program", { timeout: 300_000 }, () => {
  let dir: string;
  let ir: IR;
  let manifest: PreparedManifest;
  let data: PreparedData;
  let exports: Record<string, unknown>;
  const make = (name: string) => new (exports[pyClass(name, "Model")] as new (d: PreparedData) => RecModel)(data);

  beforeAll(async () => {
    await useCpuBackend();
    dir = mkdtempSync(join(tmpdir(), "pytorch-retrieval-"));
    // The 48-user cluster fixture with a u.user beside it: ages 16..63, both genders, four occupations.
    mkdirSync(join(dir, "ml"));
    for (const f of ["u.data", "u.item"]) copyFileSync(join(fixture, f), join(dir, "ml", f));
    const occupations = ["artist", "doctor", "engineer", "student"];
    const users = Array.from({ length: 48 }, (_, i) => `${i + 1}|${16 + i}|${"MF"[i % 2]}|${occupations[i % 4]}|0000${i}\n`);
    writeFileSync(join(dir, "ml", "u.user"), users.join(""));
    writeFileSync(join(dir, "tt_tiny.recspec"), SPEC);
    ir = compileSpec(join(dir, "tt_tiny.recspec"), diskHost).ir!;
    manifest = await prepareSpec(ir, dir, join(dir, "prepared"), () => undefined);
    mkdirSync(join(dir, "py"));
    for (const f of generatePytorch(ir)) writeFileSync(join(dir, "py", f.name), f.text);
    exports = (await importGeneratedModel("tt_tiny.recspec", SPEC)).exports;
    const run = { specDir: dir, log: () => undefined } as unknown as Run;
    data = await (exports.loadMl as (run: Run) => Promise<PreparedData>)(run);
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("hands over the examples, user and feature rows, weights and every update's negatives", () => {
    const prepared = join(dir, "prepared");
    const features = manifest.models.tt_features.twoTower!;
    const model = make("tt_features");
    const examples = model.trainingExamples;
    // Every (user, item) pair once, and user u's row of the user table is u + 1.
    expect(features.examples.count).toBe(examples.length);
    expect(Array.from(npy(prepared, features.userRows!.file).data)).toEqual(Array.from({ length: 48 }, (_, u) => u + 1));
    // Ages 16.. fall in buckets "under 18" (rows 1) and "18-24" (row 2) for the first users.
    expect(Array.from(npy(prepared, features.userFeatures.age.rows.file).data.subarray(0, 4))).toEqual([1, 1, 2, 2]);
    expect(features.userFeatures.gender.tableRows).toBe(3);
    // Inverse frequency: every target item weighs 1 / count in total, and the mean weight is 1.
    const weights = npy(prepared, features.itemWeights!.file).data;
    const counts = new Map<number, number>();
    for (const e of examples) counts.set(e.target, (counts.get(e.target) ?? 0) + 1);
    const mean = examples.reduce((s, e) => s + weights[e.target], 0) / examples.length;
    expect(mean).toBeCloseTo(1, 5);
    const [a, b] = [...counts.keys()];
    expect(weights[a] * counts.get(a)!).toBeCloseTo(weights[b] * counts.get(b)!, 4);
    // BPR: 3 negatives per pair of every update, none the pair's own item.
    const bpr = manifest.models.mf_bpr;
    const offsets = npy(prepared, bpr.twoTower!.negatives!.offsets.file).data;
    const order = npy(prepared, bpr.batchOrder.file).data;
    const cuts = npy(prepared, bpr.batchOffsets.file).data;
    expect(offsets.length).toBe(2 * bpr.stepsPerEpoch + 1);
    expect(offsets[1]).toBe(3 * cuts[1]);
    const negatives = npy(prepared, bpr.twoTower!.negatives!.values.file).data;
    const pairs = make("mf_bpr").trainingExamples;
    for (let i = 0; i < cuts[1]; i++) for (let k = 0; k < 3; k++) expect(negatives[3 * i + k]).not.toBe(pairs[order[i]].target);
    // The multi-interest model's 5 uniform negatives per update, shared by its batch.
    const multi = manifest.models.tt_multi.twoTower!;
    expect(npy(prepared, multi.negatives!.offsets.file).data[1]).toBe(5);
    model.dispose();
  });

  it("gives the same loss, gradients and scores on the first batch (1e-5), and DDP on 2 processes the same weights as one", async () => {
    const expected = join(dir, "expected");
    mkdirSync(expected);
    const cases = [];
    for (const name of MODELS) {
      const model = make(name);
      const handed = manifest.models[name];
      const order = npy(join(dir, "prepared"), handed.batchOrder.file).data;
      const offsets = npy(join(dir, "prepared"), handed.batchOffsets.file).data;
      const batch = makeBatch(model.trainingExamples, order.subarray(0, offsets[1]), model.historyLength);
      const vars = model.params.variables();
      const names = new Map([...vars].map(([n, v]) => [v.name, n]));
      // Update 1 draws from the trainer's stream for it, as prepare did.
      const rng = new Rng(handed.train.seed).fork("step/1/0");
      const { value, grads } = tf.variableGrads(() => model.loss(batch, { training: true, rng }), [...vars.values()]);
      const files: Record<string, string> = {};
      for (const [id, g] of Object.entries(grads)) {
        const weight = names.get(id)!;
        files[weight] = `${name}.${weight.replaceAll("/", ".")}.npy`;
        writeFileSync(join(expected, files[weight]), encodeNpy(g.dataSync() as Float32Array, g.shape));
      }
      const scores = await model.scoreItems(batch.histories, batch.size, batch.users);
      writeFileSync(join(expected, `${name}.scores.npy`), encodeNpy(scores.dataSync() as Float32Array, scores.shape));
      cases.push({ model: name, class: pyClass(name, "Model"), loss: value.dataSync()[0], grads: files, scores: `${name}.scores.npy`, variables: vars.size });
      tf.dispose([value, scores, ...Object.values(grads)]);
      model.dispose();
    }
    writeFileSync(join(expected, "expected.json"), JSON.stringify(cases));

    const py = join(dir, "py");
    const prep = join(dir, "prepared");
    sh(py, python!, ["train.py", "--data", prep, "--run", join(dir, "one")]);
    await trainOnTwoProcesses(python!, py, prep, join(dir, "ddp"));
    const check = join(import.meta.dirname, "retrieval_parity_check.py");
    const report = JSON.parse(sh(py, python!, [check, py, prep, expected, join(dir, "one"), join(dir, "ddp")])) as Record<
      string,
      { loss: number; loss_diff: number; scores_diff: number; grad_diff: number; grads: number; weights_moved: number; weights_diff: Record<string, number>[] }
    >;
    console.log(`PyTorch vs TypeScript, retrieval: ${JSON.stringify(report)}`);
    for (const c of cases) {
      const r = report[c.model];
      expect(r.grads, c.model).toBe(c.variables);
      expect(r.loss_diff, c.model).toBeLessThan(1e-5);
      expect(r.scores_diff, c.model).toBeLessThan(1e-5);
      expect(r.grad_diff, c.model).toBeLessThan(1e-5);
      expect(r.weights_moved, c.model).toBeGreaterThan(1e-3);
      // Two processes, each its share of every batch (in-batch candidates from the whole batch),
      // move the weights as one process does. Attention key biases are left out: softmax cancels
      // them, so their gradient is rounding noise that Adam scales up (see sasrec-parity.test.ts).
      const [ddp] = r.weights_diff;
      expect(Object.keys(ddp).length, c.model).toBe(c.variables);
      for (const [weight, diff] of Object.entries(ddp)) if (!weight.endsWith("key.bias")) expect(diff, `${c.model} ${weight}`).toBeLessThan(1e-5);
    }
  });

  it("trains in each target to metrics inside each other's bootstrap intervals", async () => {
    sh(join(dir, "py"), python!, ["evaluate.py", "--data", join(dir, "prepared"), "--run", join(dir, "one")]);
    const torchResults = JSON.parse(readFileSync(join(dir, "one", "results.json"), "utf8")) as EvaluationResult[];
    const gaps: number[] = [];
    for (const [i, name] of MODELS.entries()) {
      const ts = await onWasm(async () => {
        const model = make(name);
        await trainModel(model, data, ir.blocks.find((b) => b.name === name)!.train as never, {
          runDir: join(dir, "ts-run", name),
          log: () => undefined,
          progressStream: false,
        });
        const result = await evaluateModel(model, data, ir.evaluations[i]);
        model.dispose();
        return result;
      });
      const t = torchResults[i];
      expect(t.model).toBe(name);
      expect(t.rows.map((r) => `${r.metric} ${r.slice} ${r.n}`)).toEqual(ts.rows.map((r) => `${r.metric} ${r.slice} ${r.n}`));
      ts.rows.forEach((r, k) => {
        const p = t.rows[k];
        expect(r.value, `${name} ${r.metric}`).toBeGreaterThanOrEqual(p.low);
        expect(r.value, `${name} ${r.metric}`).toBeLessThanOrEqual(p.high);
        expect(p.value, `${name} ${r.metric}`).toBeGreaterThanOrEqual(r.low);
        expect(p.value, `${name} ${r.metric}`).toBeLessThanOrEqual(r.high);
        // The baselines (item-kNN's lists handed over by prepare) are the same lists in both targets.
        expect(p.baselines!.map((b) => b.name)).toEqual(r.baselines!.map((b) => b.name));
        p.baselines!.forEach((b, j) => expect(b.value).toBeCloseTo(r.baselines![j].value, 12));
        gaps.push(Math.abs(r.value - p.value));
      });
    }
    console.log(`largest metric gap between the targets (retrieval): ${Math.max(...gaps)}`);
  });
});
