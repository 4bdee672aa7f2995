// The PyTorch target against the TypeScript one on a tiny TIGER spec (18 items, random 2-level IDs
// with a collision suffix, d 8, one encoder and one decoder layer, a hashed user token, no
// dropout): `recspec prepare` hands over the Semantic IDs, the sliding-target examples, the batches
// and the initial weights; loss, gradients and teacher-forced decoder logits of the first batch
// agree to 1e-5; constrained beam search gives the same top-K lists (items, order, scores) for a
// few users; `torchrun --nproc_per_node=2` (gloo) trains to the same weights as one process; a
// short training in each target lands on metrics inside each other's bootstrap intervals; a
// variant (unconstrained beams, cold items joining by prefix, no user token, post-LN) agrees too.
// Without torch: `recspec compile specs/tiger_beauty.recspec --target pytorch` writes the package,
// and `recspec prepare` hands over the codes an RQ-VAE fitted as `recspec train` fits it. The
// torch tests skip, saying why, where no python3 imports torch.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import type { CommandIO } from "../../src/cli/io.js";
import { makeBatch, padHistory } from "../../src/runtime/data/batching.js";
import type { SemanticIdRetrieval, Seq2SeqDecoding } from "../../src/runtime/decode/semantic-id-retrieval.js";
import type { SemanticIdLayout } from "../../src/runtime/models/generative.js";
import type { RecModel } from "../../src/runtime/models/rec-model.js";
import { evaluateModel, type EvaluationResult } from "../../src/runtime/pipeline/evaluate-model.js";
import type { PreparedData } from "../../src/runtime/pipeline/prepare-data.js";
import { trainModel } from "../../src/runtime/pipeline/train-model.js";
import type { Run } from "../../src/runtime/program/run.js";
import { decodeNpy, encodeNpy } from "../../src/runtime/prepare/npy.js";
import type { PreparedManifest } from "../../src/runtime/prepare/write-prepared.js";
import type { Quantizer } from "../../src/runtime/quantizers/quantizer.js";
import type { SemanticIdTable } from "../../src/runtime/quantizers/semantic-id-table.js";
import { Rng } from "../../src/runtime/random.js";
import { useCpuBackend } from "../helpers/tf.js";
import { generatedModule, onWasm, preparedPackage, sh, trainOnTwoProcesses, type PreparedPackage } from "./family-parity.js";
import { tinyTigerSpec } from "./tiny-tiger-spec.js";
import { torchPython } from "./torch-python.js";

const SPEC = tinyTigerSpec(
  5,
  `  metrics   = [recall@5, ndcg@5]
  slices    = [all, popularity(head: 0.2)]
  bootstrap = 200`,
);

type TigerModel = RecModel &
  Seq2SeqDecoding & {
    readonly layout: SemanticIdLayout;
    readonly retrieval: SemanticIdRetrieval;
  };

const python = torchPython();

function npy(file: string, data: Float32Array | Int32Array, shape: number[]): void {
  writeFileSync(file, encodeNpy(data, shape));
}

/**
 * The TypeScript side: loss and every gradient on the first prepared batch, the teacher-forced
 * decoder logits of every ID position ([B, Σ sizes]), and the beam-search lists and scores of the
 * first test users, as .npy files and expected.json for tiger_parity_check.py.
 */
async function writeExpected(model: TigerModel, data: PreparedData, manifest: PreparedManifest, prepared: string, out: string): Promise<string> {
  const handed = manifest.models[model.name];
  const order = decodeNpy(readFileSync(join(prepared, handed.batchOrder.file))).data;
  const offsets = decodeNpy(readFileSync(join(prepared, handed.batchOffsets.file))).data;
  const batch = makeBatch(model.trainingExamples, order.subarray(0, offsets[1]), model.historyLength);
  const vars = model.params.variables();
  const names = new Map([...vars].map(([name, v]) => [v.name, name]));
  const { value, grads } = tf.variableGrads(() => model.loss(batch, { training: true, rng: new Rng(1) }), [...vars.values()]);
  mkdirSync(out);
  const files: Record<string, string> = {};
  for (const [id, g] of Object.entries(grads)) {
    const name = names.get(id)!;
    files[name] = `${name.replaceAll("/", ".")}.npy`;
    npy(join(out, files[name]), g.dataSync() as Float32Array, g.shape);
  }
  // Teacher forcing by hand: [start, t_0 … t_{T−2}] in, every position's logits out.
  const { layout } = model;
  const t = layout.tokensPerItem;
  const inputs = new Int32Array(batch.size * t);
  for (let b = 0; b < batch.size; b++) {
    inputs[b * t] = 1;
    for (let l = 0; l + 1 < t; l++) inputs[b * t + l + 1] = layout.offsets[l] + layout.codes[batch.targets[b] * t + l];
  }
  const logits = tf.tidy(() => {
    const { memory, mask } = model.encode(batch.histories, batch.size, batch.users);
    const hidden = model.decode(inputs, batch.size, t, memory, mask);
    const d = hidden.shape[2];
    const levels = Array.from({ length: t }, (_, l) =>
      model.levelLogits(tf.reshape(tf.slice(hidden, [0, l, 0], [batch.size, 1, d]), [batch.size, d]) as tf.Tensor2D, l),
    );
    return tf.concat(levels, 1);
  });
  npy(join(out, "logits.npy"), logits.dataSync() as Float32Array, logits.shape);
  // Beam search for the first 12 test users.
  const users = data.split.test.slice(0, 12);
  const histories = new Int32Array(users.length * model.historyLength);
  users.forEach((e, i) => padHistory(e.history, model.historyLength, histories, i * model.historyLength));
  const userIds = Int32Array.from(users, (e) => e.user);
  model.retrieval.resetDecodeStats();
  const lists = await model.retrieval.retrieve(model, histories, users.length, userIds);
  const { invalid } = model.retrieval.decodeStats;
  const scores = await model.scoreItems(histories, users.length, userIds);
  npy(join(out, "beam_histories.npy"), histories, [users.length, model.historyLength]);
  npy(join(out, "beam_users.npy"), userIds, [users.length]);
  npy(join(out, "beam_scores.npy"), scores.dataSync() as Float32Array, scores.shape);
  const expected = {
    model: model.name,
    class: "TgModel",
    loss: value.dataSync()[0],
    grads: files,
    lists: lists.map((list) => list.map(({ item, score }) => [item, score])),
    invalid,
  };
  writeFileSync(join(out, "expected.json"), JSON.stringify(expected));
  tf.dispose([value, logits, scores, ...Object.values(grads)]);
  return out;
}

// Seconds of CPU each, but several Python processes start per test: generous limits for a busy machine.
describe.skipIf(python === undefined)("PyTorch target: TIGER against the TypeScript program", { timeout: 300_000 }, () => {
  let dir: string;
  let pkg: PreparedPackage;
  let manifest: PreparedManifest;
  let data: PreparedData;
  let makeModel: () => TigerModel;

  beforeAll(async () => {
    await useCpuBackend();
    dir = mkdtempSync(join(tmpdir(), "pytorch-tiger-"));
    pkg = await preparedPackage(dir, "tg_tiny", SPEC);
    manifest = pkg.manifest;
    const { exports } = await generatedModule("tg_tiny.recspec", SPEC);
    const run = { specDir: dir, log: () => undefined } as unknown as Run;
    data = await (exports.loadSynth as (run: Run) => Promise<PreparedData>)(run);
    const ids = new (exports.IdsQuantizer as new (numItems: number) => Quantizer & { fit(): SemanticIdTable })(data.numItems);
    ids.table = ids.fit();
    makeModel = () => new (exports.TgModel as new (d: PreparedData, q: Quantizer) => TigerModel)(data, ids);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("hands over the Semantic IDs, the sliding-target examples and the initial weights", () => {
    const model = makeModel();
    const handed = manifest.models.tg.generative!;
    const read = (file: string) => decodeNpy(readFileSync(join(dir, "prepared", file)));
    expect(Array.from(read(handed.codes.file).data)).toEqual(Array.from(model.layout.codes));
    expect(handed.sizes).toEqual(model.layout.sizes);
    expect(handed.vocabulary).toBe(model.layout.vocabulary);
    // Two levels of 4 codes cannot separate 18 items: the suffix numbers those that share codes.
    expect(handed.tokensPerItem).toBe(3);
    expect(handed.sizes[2]).toBeGreaterThan(1);
    expect(read(handed.examples.targets.file).shape).toEqual([model.trainingExamples.length]);
    expect(model.trainingExamples.length).toBeGreaterThan(data.split.train.length);
    for (const [name, v] of model.params.variables()) {
      expect(Array.from(read(manifest.models.tg.init[name].file).data), name).toEqual(Array.from(v.dataSync()));
    }
    model.dispose();
  });

  it("gives the same loss, gradients, decoder logits and beam-search lists (1e-5), and DDP on 2 processes the same weights as one", async () => {
    const model = makeModel();
    const variables = model.params.variables().size;
    const expected = await writeExpected(model, data, manifest, join(dir, "prepared"), join(dir, "expected"));
    model.dispose();

    const py = join(dir, "py");
    const prep = join(dir, "prepared");
    sh(py, python!, ["train.py", "--data", prep, "--run", join(dir, "one")]);
    await trainOnTwoProcesses(python!, py, prep, join(dir, "ddp"));
    const check = join(import.meta.dirname, "tiger_parity_check.py");
    const report = JSON.parse(sh(py, python!, [check, py, prep, expected, join(dir, "one"), join(dir, "ddp")]));
    console.log(`PyTorch vs TypeScript, TIGER: ${JSON.stringify(report)}`);
    expect(report.grads).toBe(variables);
    expect(report.loss_diff).toBeLessThan(1e-5);
    expect(report.grad_diff).toBeLessThan(1e-5);
    expect(report.logits_diff).toBeLessThan(1e-5);
    expect(report.same_items).toBe(true);
    expect(report.list_lengths).toEqual(Array(12).fill(5));
    expect(report.beam_score_diff).toBeLessThan(1e-5);
    expect(report.same_retrieved).toBe(true);
    expect(report.scores_diff).toBeLessThan(1e-5);
    expect(report.weights_moved).toBeGreaterThan(1e-3);
    const [ddp] = report.weights_diff as Record<string, number>[];
    expect(Object.keys(ddp).length).toBe(variables);
    // The attention key biases are left out, as in the SASRec test: softmax cancels them, so their
    // gradients are rounding noise that Adam scales up.
    for (const [name, diff] of Object.entries(ddp)) if (!name.endsWith("key.bias")) expect(diff, name).toBeLessThan(1e-5);
  });

  it("agrees on a variant: unconstrained beams, cold items joining by prefix, no user token, post-LN relu layers", async () => {
    const text = SPEC.replace("  seed              = 3\n", "  seed              = 3\n  cold_start        = 0.25\n")
      .replaceAll("dropout: 0)", "dropout: 0, activation: relu, norm: post)")
      .replace("user    = hashed(buckets: 7)", "user    = no_user")
      .replace("decode  = beam(width: 5, constrain: trie)", "decode  = beam(width: 5, constrain: none)\n  cold_start_share = 0.4");
    expect(text).toContain("constrain: none");
    expect(text).toContain("norm: post");
    const vdir = join(dir, "variant");
    const { manifest: variantManifest } = await preparedPackage(vdir, "tg_tiny", text);
    const { exports } = await generatedModule("tg_tiny.recspec", text);
    const run = { specDir: vdir, log: () => undefined } as unknown as Run;
    const variantData = await (exports.loadSynth as (run: Run) => Promise<PreparedData>)(run);
    // Cold items exist, and the model has no user bucket to hand over.
    expect(variantData.coldMask.some((c) => c === 1)).toBe(true);
    expect(variantManifest.models.tg.generative!.userBuckets).toBeNull();
    const ids = new (exports.IdsQuantizer as new (numItems: number) => Quantizer & { fit(): SemanticIdTable })(variantData.numItems);
    ids.table = ids.fit();
    const model = new (exports.TgModel as new (d: PreparedData, q: Quantizer) => TigerModel)(variantData, ids);
    const variables = model.params.variables().size;
    const expected = await writeExpected(model, variantData, variantManifest, join(vdir, "prepared"), join(vdir, "expected"));
    model.dispose();
    const check = join(import.meta.dirname, "tiger_parity_check.py");
    const report = JSON.parse(sh(join(vdir, "py"), python!, [check, join(vdir, "py"), join(vdir, "prepared"), expected]));
    console.log(`PyTorch vs TypeScript, TIGER variant: ${JSON.stringify(report)}`);
    expect(report.grads).toBe(variables);
    expect(report.loss_diff).toBeLessThan(1e-5);
    expect(report.grad_diff).toBeLessThan(1e-5);
    expect(report.logits_diff).toBeLessThan(1e-5);
    expect(report.same_items).toBe(true);
    expect(report.beam_score_diff).toBeLessThan(1e-5);
    expect(report.same_retrieved).toBe(true);
    expect(report.scores_diff).toBeLessThan(1e-5);
    // Some list holds a cold item (a score 1e-4 below its beam's), and unconstrained beams were counted.
    expect(report.cold_items).toBeGreaterThan(0);
    expect(report.beams).toBe(12 * 5);
    expect(report.invalid_beams).toBe(report.ts_invalid_beams);
  });

  it("trains in each target to metrics inside each other's bootstrap intervals", async () => {
    const ts: EvaluationResult = await onWasm(async () => {
      const model = makeModel();
      await trainModel(model, data, pkg.ir.blocks.find((b) => b.name === "tg")!.train as never, {
        runDir: join(dir, "ts-run"),
        excludeHistory: false,
        log: () => undefined,
        progressStream: false,
      });
      const result = await evaluateModel(model, data, pkg.ir.evaluations[0]);
      model.dispose();
      return result;
    });
    const py = join(dir, "py");
    sh(py, python!, ["evaluate.py", "--data", join(dir, "prepared"), "--run", join(dir, "one")]);
    const [torchResult] = JSON.parse(readFileSync(join(dir, "one", "results.json"), "utf8")) as EvaluationResult[];
    expect(torchResult.rows.map((r) => `${r.metric} ${r.slice} ${r.n}`)).toEqual(ts.rows.map((r) => `${r.metric} ${r.slice} ${r.n}`));
    expect(torchResult.protocol).toBe(ts.protocol);
    const gaps = ts.rows.map((r, i) => {
      const t = torchResult.rows[i];
      expect(r.value).toBeGreaterThanOrEqual(t.low!);
      expect(r.value).toBeLessThanOrEqual(t.high!);
      expect(t.value).toBeGreaterThanOrEqual(r.low!);
      expect(t.value).toBeLessThanOrEqual(r.high!);
      return Math.abs(r.value! - t.value!);
    });
    console.log(`largest metric gap between the targets, TIGER: ${Math.max(...gaps)}`);
  });
});

describe("recspec compile specs/tiger_beauty.recspec --target pytorch", () => {
  it("writes the TIGER module, decode.py and the baseline's module, in lines of at most 99 characters", async () => {
    const out = mkdtempSync(join(tmpdir(), "pytorch-tiger-beauty-"));
    try {
      const source = resolve(import.meta.dirname, "../../specs/tiger_beauty.recspec");
      let stderr = "";
      const io: CommandIO = { stdout: () => undefined, stderr: (t) => void (stderr += t), color: false, cwd: process.cwd() };
      expect(await main(["compile", source, "--target", "pytorch", "--out", out], io), stderr).toBe(0);
      const model = readFileSync(join(out, "model.py"), "utf8");
      expect(model).toContain("class TigerModel(nn.Module):");
      expect(model).toContain("class SasrecModel(nn.Module):");
      expect(model).toContain("class DecoderLayer(nn.Module):");
      expect(model).toContain("self.encoder_positions = nn.Parameter(torch.randn(512, 64) * 0.05)");
      expect(model).toContain("positions = torch.arange(length * t, device=ids.device) + 1 + offset * t  # [L·t]");
      const decode = readFileSync(join(out, "decode.py"), "utf8");
      expect(decode).toContain("def beam_search(");
      expect(readFileSync(join(out, "README.md"), "utf8")).toContain("| `decode.py` |");
      // The files this family writes to.
      for (const file of ["model.py", "decode.py"]) {
        const long = readFileSync(join(out, file), "utf8")
          .split("\n")
          .filter((line) => line.length > 99 && line !== source);
        expect(long, file).toEqual([]);
      }
      if (python !== undefined) sh(out, python, ["-m", "py_compile", "model.py", "decode.py", "train.py", "evaluate.py"]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe("recspec prepare with an RQ-VAE quantizer", () => {
  it("fits the quantizer through the generated program, as recspec run does, and hands over its Semantic IDs", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "pytorch-tiger-rqvae-"));
    // The TypeScript program resolves recspec/runtime from a folder inside the repository.
    mkdirSync(resolve(".cache/recspec"), { recursive: true });
    const program = mkdtempSync(resolve(".cache/recspec/test-tiger-rqvae-"));
    try {
      const spec = SPEC.replace(
        /quantizer ids = random_ids\(synth.items\) \{[^}]*\}/,
        `features content = vectors("v.jsonl", items: synth.items, dim: 4)

quantizer ids = rqvae(content) {
  encoder  = mlp([8], activation: relu)
  latent   = 4
  levels   = 2
  codebook = 4
  train { epochs = 2  batch = 16 }
}`,
      ).replace("steps     = 6", "steps     = 1");
      expect(spec).toContain("rqvae(content)");
      writeFileSync(join(cwd, "tg_tiny.recspec"), spec);
      // Item k's vector: its cluster's axis, plus a little of its own.
      const lines = Array.from({ length: 18 }, (_, k) => {
        const vector = [0, 1, 2, 3].map((j) => (j === Math.floor(k / 6) ? 1 : 0) + 0.1 * Math.sin(k * 7 + j));
        return JSON.stringify({ item: String(k + 1), vector });
      });
      writeFileSync(join(cwd, "v.jsonl"), `${lines.join("\n")}\n`);
      // `recspec ARGS…` in process, with absolute paths: a process's start-up would be seconds more.
      const recspec = async (...args: string[]) => {
        let out = "";
        const io: CommandIO = { stdout: (t) => void (out += t), stderr: (t) => void (out += t), color: false, cwd };
        expect(await main(args, io), out).toBe(0);
        return out;
      };
      const file = join(cwd, "tg_tiny.recspec");
      const prepared = await recspec("prepare", file, "--out", join(cwd, "prepared"));
      expect(prepared).toMatch(/ids epoch 2\/2: loss /);
      expect(prepared).toContain(`wrote ${join(cwd, "prepared")}/manifest.json: synth; models tg`);
      await recspec("train", file, "--backend", "wasm", "--out", program, "--runs", join(cwd, "runs"));
      const [run] = readdirSync(join(cwd, "runs", "tg_tiny"));
      const ranTable = JSON.parse(readFileSync(join(cwd, "runs", "tg_tiny", run, "ids", "semantic-ids.json"), "utf8")) as { codes: number[] };
      const manifest = JSON.parse(readFileSync(join(cwd, "prepared", "manifest.json"), "utf8")) as PreparedManifest;
      const handed = decodeNpy(readFileSync(join(cwd, "prepared", manifest.models.tg.generative!.codes.file)));
      // The RQ-VAE's codes (and suffixes) the run trained are the ones handed over.
      expect(Array.from(handed.data)).toEqual(ranTable.codes);
      expect(new Set(ranTable.codes.slice(3)).size).toBeGreaterThan(1);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
      rmSync(program, { recursive: true, force: true });
    }
  }, 300_000);
});
