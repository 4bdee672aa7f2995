// IDW reweighting in the PyTorch target's idw.py against the TypeScript runtime (weighting/idw.ts):
// a fixed table of 30 item vectors (D = 8, three clusters, skewed target counts) stands in for a
// trained item tower; iterativeDensityWeighting reweights it under seed 11, and idw.py reweights the
// same vectors from the draws weighting/idw-draws.ts hands over. The first reweighting's weights
// and per-example loss weights agree to 1e-5 (relative), as does a loss weighted by them; a second
// check in the same Python run compares idw.py's pieces with values computed by hand. Then a tiny
// mur_idw-like spec goes through `recspec prepare`: its manifest's draws, read by idw.py, reweight
// the prepared initial item vectors as the TypeScript runtime does under the block's train seed,
// and the later phases come with the seeds and epoch caps stages-idw.ts gives them. Skips, saying
// why, where no python3 imports torch.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, describe, expect, it } from "vitest";
import { idwPy } from "../../src/compiler/codegen-pytorch/idw-py.js";
import { makeBatch } from "../../src/runtime/data/batching.js";
import type { PreparedData } from "../../src/runtime/pipeline/prepare-data.js";
import type { Run } from "../../src/runtime/program/run.js";
import type { WeightedModel } from "../../src/runtime/weighting/weighted-model.js";
import { decodeNpy, encodeNpy, type NpyArray } from "../../src/runtime/prepare/npy.js";
import { Rng } from "../../src/runtime/random.js";
import { idwDraws } from "../../src/runtime/weighting/idw-draws.js";
import { iterativeDensityWeighting, type IdwModel, type IdwSettings } from "../../src/runtime/weighting/idw.js";
import { importGeneratedModel } from "../helpers/generated-model.js";
import { useCpuBackend } from "../helpers/tf.js";
import { preparedPackage, type PreparedPackage } from "./family-parity.js";
import { torchPython } from "./torch-python.js";

const python = torchPython();
const N = 30;
const D = 8;
const SEED = 11;
const SETTINGS: IdwSettings = { momentum: 0.8, tolerance: 2e-4, iterations: 1, epochs: 1, sample: 400, noise: 0.1 };

/** Three clusters of item vectors; the first items are the popular ones. */
function fixture(): { vectors: Float32Array; counts: Int32Array } {
  const rng = new Rng(5);
  const vectors = new Float32Array(N * D);
  for (let i = 0; i < N; i++) for (let k = 0; k < D; k++) vectors[i * D + k] = (k === i % 3 ? 2 : 0) + 0.5 * rng.normal();
  const counts = new Int32Array(N + 1);
  for (let i = 1; i <= N; i++) counts[i] = Math.max(0, Math.round(60 / i) - 1);
  return { vectors, counts };
}

/** mur_idw.recspec in miniature: a train seed of 3, two reweightings, then calibration. */
const TINY_SPEC = `spec idw_tiny

dataset synth = synthetic {
  users              = 60
  clusters           = 3
  items_per_cluster  = 6
  interests_per_user = 2
  length             = 8
  seed               = 7
}

tower items = item_tower(synth) {
  embedding = 8
}

tower users = multi_interest(synth) {
  embedding = 8
  attention = self_attention(layers: 1, heads: 1)
  interests = 2
  output    = 8
}

model mur = two_tower(users, items) {
  score     = max_interest
  loss      = sampled_softmax(negatives: in_batch, logq: true, temperature: 0.1)
  weighting = idw(momentum: 0.8, iterations: 2, epochs: 2, sample: 150, noise: 0.1, calibrate: user_tower)

  train {
    optimizer = adam(lr: 1e-2)
    epochs    = 1
    batch     = 32
    seed      = 3
  }
}
`;

const CHECK = `
import json, sys
import numpy as np
import idw

items = np.load("items.npy")
counts = np.load("counts.npy")
uniforms = np.load("uniforms.npy")
normals = np.load("normals.npy")
settings = json.loads(sys.argv[1])
w0 = idw.initial_item_weights(counts)
weights, max_delta, _ = idw.reweight(
    items, w0, uniforms[0], normals[0], settings["noise"], settings["momentum"]
)
np.save("weights.npy", weights)
np.save("per_example.npy", idw.per_example_weights(weights, counts))

# By hand: cumulative weights [0, 0.25, 1.0] of w = [0, 0.25, 0.75].
hand = {"picked": idw.sample_by_weight([0.0, 0.25, 0.75], [0.1, 0.25, 0.3, 0.99]).tolist()}
# 1 / (1 + 1e-4) and 1 / (3 + 1e-4), normalised.
hand["inverse"] = idw.inverse_density_weights(np.log([1.0, 3.0])).tolist()
# Two 1-D points at -1 and 1: variance 2, n = 2, factor 2^(-1/5); density at 0.
hand["log_density"] = idw.kde_log_density(np.array([[-1.0], [1.0]]), np.array([[0.0]]))[0]
print(json.dumps({"max_delta": max_delta, "hand": hand}))
`;

describe.skipIf(python === undefined)("PyTorch target: IDW reweighting against the TypeScript runtime", () => {
  const dir = mkdtempSync(join(tmpdir(), "recspec-idw-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let tiny: Promise<PreparedPackage> | undefined;
  /** The tiny spec, prepared and emitted once for the two tests that read it. */
  const tinyPackage = () => (tiny ??= preparedPackage(join(dir, "spec"), "idw_tiny", TINY_SPEC));

  it("gives the same weights after the first reweighting, the same loss weights and hand-checked pieces", async () => {
    useCpuBackend();
    const { vectors, counts } = fixture();
    const table = tf.tensor2d(vectors, [N, D]);
    const model: IdwModel = {
      numItems: N,
      targetCounts: counts,
      itemVectors: (ids) => tf.gather(table, tf.sub(ids, tf.scalar(1, "int32"))) as tf.Tensor2D,
    };
    let tsWeights: Float64Array | null = null;
    let tsPerExample: Float32Array | null = null;
    let tsDelta = NaN;
    await iterativeDensityWeighting(
      model,
      { ...SETTINGS, tolerance: 0 },
      {
        train: async (_it, perExample, weights) => {
          tsPerExample = perExample;
          tsWeights = weights;
        },
        onIteration: (info) => void (tsDelta = info.maxDelta),
      },
      SEED,
    );
    table.dispose();

    const draws = idwDraws(SEED, SETTINGS.iterations, SETTINGS.sample, D);
    const save = (file: string, data: NpyArray, shape: number[]) => writeFileSync(join(dir, file), encodeNpy(data, shape));
    save("items.npy", vectors, [N, D]);
    save("counts.npy", counts, [N + 1]);
    save("uniforms.npy", draws.uniforms, [SETTINGS.iterations, SETTINGS.sample]);
    save("normals.npy", draws.normals, [SETTINGS.iterations, SETTINGS.sample, D]);
    writeFileSync(join(dir, "idw.py"), idwPy());
    const r = spawnSync(python!, ["-c", CHECK, JSON.stringify(SETTINGS)], { cwd: dir, encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: "1" } });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { max_delta: number; hand: { picked: number[]; inverse: number[]; log_density: number } };

    const pyWeights = decodeNpy(readFileSync(join(dir, "weights.npy"))).data;
    const pyPerExample = decodeNpy(readFileSync(join(dir, "per_example.npy"))).data;
    expect(tsWeights).not.toBeNull();
    const w = tsWeights! as Float64Array;
    const pe = tsPerExample! as Float32Array;
    // The reweighting moved the weights (else agreeing would prove little), and both sides agree.
    expect(tsDelta).toBeGreaterThan(1e-3);
    expect(Math.abs(out.max_delta - tsDelta)).toBeLessThan(1e-5 * tsDelta);
    for (let i = 0; i <= N; i++) {
      expect(Math.abs(pyWeights[i] - w[i])).toBeLessThanOrEqual(1e-5 * w[i] + 1e-12);
      expect(Math.abs(pyPerExample[i] - pe[i])).toBeLessThanOrEqual(1e-5 * pe[i] + 1e-12);
    }
    // A weighted mean of per-target losses (as the model's loss reads the weights), both ways.
    const lossOf = (weights: ArrayLike<number>) => {
      let num = 0;
      let den = 0;
      for (let i = 1; i <= N; i++) {
        const loss = Math.log(1 + i);
        num += counts[i] * weights[i] * loss;
        den += counts[i] * weights[i];
      }
      return num / den;
    };
    expect(Math.abs(lossOf(pyPerExample) - lossOf(pe))).toBeLessThan(1e-5 * lossOf(pe));

    expect(out.hand.picked).toEqual([1, 2, 2, 2]);
    const a = 1 / (1 + 1e-4);
    const b = 1 / (3 + 1e-4);
    expect(out.hand.inverse[0]).toBe(0);
    expect(out.hand.inverse[1]).toBeCloseTo(a / (a + b), 12);
    expect(out.hand.inverse[2]).toBeCloseTo(b / (a + b), 12);
    // h² = 2·2^(−2/5); p(0) = (2 · N(1; 0, h²)) / 2 = exp(−1/(2h²)) / sqrt(2π h²).
    const h2 = 2 * Math.pow(2, -2 / 5);
    expect(out.hand.log_density).toBeCloseTo(-1 / (2 * h2) - 0.5 * Math.log(2 * Math.PI * h2), 10);
  });
  it("hands over through recspec prepare the draws the TypeScript program's IDW reads, with each phase's batches", async () => {
    useCpuBackend();
    const { prepared, manifest } = await tinyPackage();
    const entry = manifest.models.mur;
    const idw = entry.twoTower!.idw!;
    const read = (file: string) => decodeNpy(readFileSync(join(prepared, file)));
    // The initial item vectors (an id item tower: its table's rows) stand in for a trained tower.
    const table = read(entry.init["item_tower/item_embedding/table"].file);
    const [rows, dim] = table.shape;
    const targets = read(entry.twoTower!.examples.targets.file).data;
    const counts = new Int32Array(rows);
    for (const t of targets) counts[t]++;
    expect(idw.seed).toBe(3);
    expect(idw.normals.shape).toEqual([2, 150, dim]);
    expect(idw.phases.map((p) => [p.name, p.seed, p.epochs])).toEqual([
      ["idw-1", 3 + 7919, 2],
      ["idw-2", 3 + 2 * 7919, 2],
      ["calibrate", 3 + 3 * 7919, 1],
    ]);

    const vectors = tf.tensor2d(table.data as Float32Array, [rows, dim]);
    let tsWeights: Float64Array | null = null;
    await iterativeDensityWeighting(
      {
        numItems: rows - 1,
        targetCounts: counts,
        itemVectors: (ids) => tf.gather(vectors, ids),
      },
      { ...SETTINGS, sample: 150, tolerance: 0 },
      { train: async (_it, _perExample, weights) => void (tsWeights = weights) },
      entry.train.seed,
    );
    vectors.dispose();
    writeFileSync(join(dir, "counts_tiny.npy"), encodeNpy(counts, [rows]));
    writeFileSync(join(dir, "idw.py"), idwPy());
    const check = `
import json, sys
import numpy as np
import idw
prepared = sys.argv[1]
table = np.load(f"{prepared}/${entry.init["item_tower/item_embedding/table"].file}")
counts = np.load("counts_tiny.npy")
uniforms = np.load(f"{prepared}/${idw.uniforms.file}")
normals = np.load(f"{prepared}/${idw.normals.file}")
w, _, _ = idw.reweight(table[1:], idw.initial_item_weights(counts), uniforms[0], normals[0], 0.1, 0.8)
print(json.dumps(w.tolist()))
`;
    const r = spawnSync(python!, ["-c", check, prepared], { cwd: dir, encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: "1" } });
    expect(r.stderr).toBe("");
    const pyWeights = JSON.parse(r.stdout) as number[];
    const w = tsWeights! as Float64Array;
    expect(pyWeights.length).toBe(w.length);
    for (let i = 0; i < w.length; i++) expect(Math.abs(pyWeights[i] - w[i])).toBeLessThanOrEqual(1e-5 * w[i] + 1e-12);
  });

  it("gives the same loss on the first idw-1 batch in both targets (1e-5), from the same reweighting", async () => {
    useCpuBackend();
    const { dir: specDir, prepared, manifest, py } = await tinyPackage();
    const idw = manifest.models.mur.twoTower!.idw!;

    // TypeScript: the generated model at its initial weights (the same seed as prepare's),
    // reweighted once by the runtime, then its loss (eval mode) on the first batch of phase idw-1.
    const { exports } = await importGeneratedModel("idw_tiny.recspec", TINY_SPEC);
    const data = await (exports.loadSynth as (run: Run) => Promise<PreparedData>)({ specDir, log: () => undefined } as unknown as Run);
    const model = new (exports.MurModel as new (d: PreparedData) => WeightedModel)(data);
    let perExample: Float32Array | null = null;
    await iterativeDensityWeighting(
      model,
      { ...SETTINGS, sample: 150, iterations: 1, tolerance: 0 },
      { train: async (_it, byItem) => void (perExample = byItem) },
      manifest.models.mur.train.seed,
    );
    model.setItemWeights(perExample);
    const order = decodeNpy(readFileSync(join(prepared, idw.phases[0].batchOrder.file))).data;
    const offsets = decodeNpy(readFileSync(join(prepared, idw.phases[0].batchOffsets.file))).data;
    const batch = makeBatch(model.trainingExamples, order.subarray(offsets[0], offsets[1]), model.historyLength);
    const lossNow = () => tf.tidy(() => model.loss(batch, { training: false, rng: new Rng(0) }).dataSync()[0]);
    const tsLoss = lossNow();
    model.setItemWeights(null);
    const unweighted = lossNow();
    model.dispose();

    // PyTorch: the package's own pieces, as train_idw_model calls them before phase idw-1.
    const check = `
import sys
import numpy as np
import torch
import idw
from data import Prepared, load_recspec_weights
from model import MurModel

prepared = Prepared(sys.argv[1])
model = MurModel.build(prepared, "mur")
load_recspec_weights(model, prepared.initial_weights("mur"))
model.eval()
examples = prepared.training_examples("mur")
counts = np.bincount(examples.targets, minlength=model.num_items + 1)
handed = prepared.model("mur")["twoTower"]["idw"]
with torch.no_grad():
    vectors = model.item_vectors().numpy()
uniforms, normals = prepared.array(handed["uniforms"]), prepared.array(handed["normals"])
w, _, _ = idw.reweight(vectors, idw.initial_item_weights(counts), uniforms[0], normals[0], 0.1, 0.8)
model.set_item_weights(idw.per_example_weights(w, counts))
phase = handed["phases"][0]
order, offsets = prepared.array(phase["batchOrder"]), prepared.array(phase["batchOffsets"])
batch = prepared.training_batch("mur", examples, order[0][offsets[0][0] : offsets[0][1]], 1)
with torch.no_grad():
    total, _ = model(*model.shard_inputs(batch, 0, 1, torch.device("cpu")))
print(float(total) / model.loss_weight(batch))
`;
    const r = spawnSync(python!, ["-c", check, prepared], { cwd: py, encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: "1" } });
    expect(r.stderr).toBe("");
    const pyLoss = Number(r.stdout.trim());
    // The weights change the loss (else agreeing would not show they were read), and both agree.
    expect(Math.abs(tsLoss - unweighted)).toBeGreaterThan(1e-3 * unweighted);
    expect(Math.abs(pyLoss - tsLoss)).toBeLessThan(1e-5 * tsLoss);
  }, 120_000);
});
