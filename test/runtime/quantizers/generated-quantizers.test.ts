// The quantizers a spec compiles to. The RQ-VAE: the generated model.ts's class (encoder,
// codebooks, decoder and loss spelled out) trained by the runtime's trainRqVae, its codes read by
// rqVaeCodes and assembled by buildSemanticIdTable; and the k-means its codebooks start from. LSH
// and random IDs: classes whose fit is one call of the runtime's code function. Compiles a tiny
// spec, imports its model.ts and trains on clustered vectors.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "../../../src/compiler/codegen/index.js";
import { compileSpec } from "../../../src/compiler/compile.js";
import type { ItemFeatures } from "../../../src/runtime/features/item-features.js";
import { kMeans } from "../../../src/runtime/quantizers/kmeans.js";
import { lshCodes } from "../../../src/runtime/quantizers/lsh.js";
import { randomIdCodes } from "../../../src/runtime/quantizers/random-ids.js";
import type { Quantizer } from "../../../src/runtime/quantizers/quantizer.js";
import { rqVaeCodes, trainRqVae, type RqVaeEpoch, type RqVaeNetwork, type RqVaeTraining } from "../../../src/runtime/quantizers/rqvae.js";
import { buildSemanticIdTable, codebookUsage } from "../../../src/runtime/quantizers/semantic-id-table.js";
import { Rng } from "../../../src/runtime/random.js";
import { useCpuBackend } from "../../helpers/tf.js";

const SPEC = [
  "spec tiny_rq",
  "dataset synth = synthetic",
  'features content = vectors("v.jsonl", items: synth.items, dim: 8)',
  "quantizer sid = rqvae(content) {",
  "  encoder = mlp([16], activation: relu)",
  "  latent = 4  levels = 2  codebook = 4",
  "  train { optimizer = adamw(lr: 3e-3, weight_decay: 1e-4)  epochs = 15  batch = 60 }",
  "}",
  "quantizer hashed = lsh(content) { levels = 3  codebook = 4  seed = 7 }",
  "quantizer drawn = random_ids(synth.items) { levels = 2  codebook = 5  collisions = none  seed = 2 }",
].join("\n");

type SidClass = new (features: ItemFeatures) => Quantizer & RqVaeNetwork;
let program: {
  SidQuantizer: SidClass;
  sidTraining: RqVaeTraining;
  HashedQuantizer: new (features: ItemFeatures) => Quantizer;
  DrawnQuantizer: new (numItems: number) => Quantizer;
};
let files: Map<string, string>;
let dir: string;

beforeAll(async () => {
  await useCpuBackend();
  const compiled = compileSpec("tiny_rq.recspec", { readFile: () => undefined }, { entryText: SPEC });
  expect(compiled.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  // Inside the package, so the program's `recspec/runtime` import resolves.
  mkdirSync(resolve(".cache"), { recursive: true });
  dir = mkdtempSync(join(resolve(".cache"), "rqvae-test-"));
  const generated = await generate(compiled.ir!);
  files = new Map(generated.map((f) => [f.name, f.text]));
  for (const file of generated) writeFileSync(join(dir, file.name), file.text);
  program = (await import(join(dir, "model.ts"))) as typeof program;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Items in 4 well-separated clusters of 30 in 8-D (cluster c = item (i − 1) mod 4). */
function clustered(): {
  features: ItemFeatures;
  cluster: (i: number) => number;
} {
  const n = 120;
  const dim = 8;
  const rng = new Rng(2);
  const vectors = new Float32Array((n + 1) * dim);
  // Every dimension carries the clusters (centres drawn at scale 2), so standardising keeps them apart.
  const centres = Array.from({ length: 4 * dim }, () => 2 * rng.normal());
  for (let i = 1; i <= n; i++) for (let j = 0; j < dim; j++) vectors[i * dim + j] = centres[((i - 1) % 4) * dim + j] + 0.3 * rng.normal();
  return {
    features: { dim, numItems: n, vectors },
    cluster: (i) => (i - 1) % 4,
  };
}

describe("kMeans", () => {
  it("is deterministic for a seed and finds separated clusters", () => {
    const rng = new Rng(0);
    const pts = new Float32Array(2 * 60);
    for (let i = 0; i < 60; i++) {
      pts[2 * i] = (i % 3) * 10 + rng.normal() * 0.1;
      pts[2 * i + 1] = rng.normal() * 0.1;
    }
    const a = kMeans(pts, 2, 3, new Rng(5));
    const b = kMeans(pts, 2, 3, new Rng(5));
    expect(Array.from(a)).toEqual(Array.from(b));
    const xs = [a[0], a[2], a[4]].sort((p, q) => p - q);
    expect(xs[0]).toBeCloseTo(0, 0);
    expect(xs[1]).toBeCloseTo(10, 0);
    expect(xs[2]).toBeCloseTo(20, 0);
  });
});

describe("RQ-VAE", () => {
  it("has the spec's layers and sizes, under the runtime RQ-VAE's parameter names", () => {
    const { features } = clustered();
    const q = new program.SidQuantizer(features);
    expect([q.name, q.method, q.levels, q.codebook, q.inDim, q.latent]).toEqual(["sid", "rqvae", 2, 4, 8, 4]);
    const shapes = Object.fromEntries([...q.params.variables()].map(([name, v]) => [name, v.shape]));
    expect(shapes).toEqual({
      "encoder/layer0/kernel": [8, 16],
      "encoder/layer0/bias": [16],
      "to_latent/kernel": [16, 4],
      "to_latent/bias": [4],
      "decoder/layer0/kernel": [4, 16],
      "decoder/layer0/bias": [16],
      "to_input/kernel": [16, 8],
      "to_input/bias": [8],
      codebook0: [4, 4],
      codebook1: [4, 4],
    });
    expect(program.sidTraining).toEqual({
      optimizer: { type: "adamw", lr: 3e-3, weight_decay: 1e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
      schedule: { type: "constant" },
      epochs: 15,
      steps: null,
      batch: 60,
      seed: 0,
      standardize: true,
      kmeansInit: true,
      deadCodeReset: true,
    });
    q.dispose();
  });

  it("weighs the loss as reconstruction + codebook + β · commitment", () => {
    const { features } = clustered();
    const q = new program.SidQuantizer(features);
    const x = tf.tensor2d(features.vectors.slice(8, 8 * 11), [10, 8]);
    const out = q.loss(x);
    const [loss, reconstruction, codebook, commitment] = [out.loss, out.reconstruction, out.codebook, out.commitment].map((t) => t.dataSync()[0]);
    expect(loss).toBeCloseTo(reconstruction + codebook + 0.25 * commitment, 4);
    // Before any training the two quantization terms are the same distances.
    expect(codebook).toBeCloseTo(commitment, 5);
    expect(out.codes.map((c) => c.shape)).toEqual([[10], [10]]);
    [out.loss, out.reconstruction, out.codebook, out.commitment, ...out.codes, x].forEach((t) => t.dispose());
    q.dispose();
  });

  it("trains, lowers its loss, uses its codebooks and gives items of one content cluster the same first code", async () => {
    const { features, cluster } = clustered();
    const q = new program.SidQuantizer(features);
    const epochs: RqVaeEpoch[] = [];
    const { standardization } = await trainRqVae(q, features, program.sidTraining, { onEpoch: (e) => epochs.push(e) });
    const table = buildSemanticIdTable(await rqVaeCodes(q, features, standardization), 2, 4, "suffix_token");
    expect(epochs.length).toBe(15);
    expect(epochs[14].loss).toBeLessThan(0.9 * epochs[0].loss);
    expect(codebookUsage(table).perLevel[0]).toBe(1);
    // First-level codes follow the content: two items of one cluster share their first code far
    // more often than two items of different clusters.
    let same = 0,
      sameAgree = 0,
      other = 0,
      otherAgree = 0;
    for (let i = 1; i <= features.numItems; i++)
      for (let j = i + 1; j <= features.numItems; j++) {
        const agree = table.codes[i * table.tokensPerItem] === table.codes[j * table.tokensPerItem] ? 1 : 0;
        if (cluster(i) === cluster(j)) {
          same++;
          sameAgree += agree;
        } else {
          other++;
          otherAgree += agree;
        }
      }
    expect(sameAgree / same).toBeGreaterThan(0.6);
    expect(otherAgree / other).toBeLessThan(0.25);
    q.dispose();
  });

  it("fit trains as the spec says and gives the same table for the same seed, freeing its tensors", async () => {
    const { features } = clustered();
    const fitted = async () => {
      const q = new program.SidQuantizer(features);
      const lines: string[] = [];
      const table = await q.fit((line) => lines.push(line));
      const books = q.codebooks().map((b) => Array.from(b.dataSync()));
      q.dispose();
      return { codes: Array.from(table.codes), books, lines };
    };
    const before = tf.memory().numTensors;
    const a = await fitted();
    expect(a).toEqual(await fitted());
    expect(tf.memory().numTensors).toBe(before);
    expect(a.lines[0]).toBe(`training sid (rq-vae, ${8 * 16 + 16 + 16 * 4 + 4 + 4 * 16 + 16 + 16 * 8 + 8 + 2 * 16} parameters)`);
    expect(a.lines.at(-1)).toMatch(/^sid epoch 15\/15: loss /);
    // Row 0 has no ID; every item has 2 codes in [0, 4) and a suffix.
    expect(a.codes.slice(0, 3)).toEqual([-1, -1, -1]);
    expect(a.codes.length).toBe(121 * 3);
  });
});

describe("LSH and random-ID quantizers", () => {
  it("compute their codes with the spec's sizes and seed, then the table", async () => {
    const { features } = clustered();
    const hashed = new program.HashedQuantizer(features);
    expect([hashed.name, hashed.method, hashed.levels, hashed.codebook]).toEqual(["hashed", "lsh", 3, 4]);
    const expected = buildSemanticIdTable(lshCodes(features, 3, 4, 7), 3, 4, "suffix_token");
    const table = await hashed.fit(() => {});
    expect(table.tokensPerItem).toBe(4);
    expect(Array.from(table.codes)).toEqual(Array.from(expected.codes));
    const drawn = await new program.DrawnQuantizer(120).fit(() => {});
    // collisions = none: the codes alone, 2 per item.
    expect(drawn.tokensPerItem).toBe(2);
    expect(Array.from(drawn.codes)).toEqual(Array.from(randomIdCodes(120, 2, 5, 2)));
  });

  it("are fitted by train.ts and restored by infer.ts, with no block configuration left to interpret", () => {
    const model = files.get("model.ts")!;
    expect(model).not.toMatch(/BlockSpec|loadFeatures|buildQuantizer/);
    expect(model).toContain('return readVectorsFile(run, "content", synth, { path: "v.jsonl", dim: 8, missing: "error" });');
    const train = files.get("train.ts")!;
    expect(train).toContain("const hashed = new HashedQuantizer(content);\n  await fitSemanticIds(run, hashed);");
    expect(train).toContain("const drawn = new DrawnQuantizer(synth.numItems);\n  await fitSemanticIds(run, drawn);");
    expect(files.get("infer.ts")!).toContain("const sid = new SidQuantizer(content);\n  await restoreSemanticIds(run, sid);");
  });
});
