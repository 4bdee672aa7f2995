// The ranking models a spec compiles to: one class per model in the generated model.ts, its item
// representation chosen at compile time. Compiles a tiny spec with one model per item option,
// imports the program and checks each class's table budget, parameter count, scores and the
// message when a quantizer has no Semantic IDs yet.
import "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "../../../src/compiler/codegen/index.js";
import { compileSpec } from "../../../src/compiler/compile.js";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import type { PairwiseRanker } from "../../../src/runtime/ranking/ranker.js";
import type { RowBudget } from "../../../src/runtime/ranking/item-representations.js";
import { useCpuBackend } from "../../helpers/tf.js";
import { clusterSemanticIds, rankingData } from "./fixtures.js";

const SPEC = [
  "spec ranked",
  "dataset tiny = synthetic",
  'features content = vectors("v.jsonl", items: tiny.items, dim: 5)',
  "quantizer sid = rqvae(content) { levels = 2  codebook = 8 }",
  ...[
    ["hashed", "random_id(buckets: 100)"],
    ["bigram", "semantic_id(sid, embed: ngram(n: 2, rows: 1000))"],
    ["pieces", "semantic_id(sid, embed: spm(vocab: 40))"],
    ["content_based", "dense(content)"],
  ].map(
    ([name, item]) => `model ${name} = ranking(tiny) { item = ${item}  user = history_pool(history: 6, pool: attention)  embedding = 16  layers = [32, 16] }`,
  ),
].join("\n");

type RankerClass = new (data: PreparedData, input?: unknown) => PairwiseRanker & { budget: RowBudget };
let program: Record<string, RankerClass>;
let data: PreparedData;
let dir: string;

beforeAll(async () => {
  await useCpuBackend();
  data = await rankingData(0.1);
  const compiled = compileSpec("ranked.recspec", { readFile: () => undefined }, { entryText: SPEC });
  expect(compiled.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  // Inside the package, so the program's `recspec/runtime` import resolves.
  mkdirSync(resolve(".cache"), { recursive: true });
  dir = mkdtempSync(join(resolve(".cache"), "ranking-test-"));
  for (const file of await generate(compiled.ir!)) writeFileSync(join(dir, file.name), file.text);
  program = (await import(join(dir, "model.ts"))) as Record<string, RankerClass>;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("generated ranking models", () => {
  it("builds each item option with its table budget, pooling and MLP", () => {
    const ids = { table: clusterSemanticIds(data) };
    const dim = 5;
    const vectors = new Float32Array((data.numItems + 1) * dim);
    for (let i = 1; i <= data.numItems; i++) vectors[i * dim + data.synthetic!.itemCluster[i]] = 1;
    const features = { dim, numItems: data.numItems, vectors };
    const cases: [string, unknown, number][] = [
      ["HashedModel", undefined, 100],
      ["BigramModel", ids, 64], // 8² rows, exact
      ["PiecesModel", ids, 40],
      ["ContentBasedModel", features, 0],
    ];
    for (const [cls, input, rows] of cases) {
      const model = new program[cls](data, input);
      expect(model.historyLength).toBe(6);
      expect(model.budget.rows).toBe(rows);
      // Item table (or projection) + attention pool + MLP [48 → 32 → 16 → 1].
      const mlp = 48 * 32 + 32 + 32 * 16 + 16 + 16 + 1;
      const pool = 16 * 16 + 16 + 16;
      expect(model.params.count()).toBe(model.budget.parameters + pool + mlp);
      const scores = model.scoreItems(new Int32Array([0, 0, 1, 2, 3, 4]), 1);
      expect(scores.shape).toEqual([1, data.numItems + 1]);
      expect(Array.from(scores.dataSync()).every(Number.isFinite)).toBe(true);
      const picked = model.scoreCandidates(new Int32Array([0, 0, 1, 2, 3, 4]), 1, new Int32Array([4, 2]));
      const all = scores.dataSync();
      expect(Array.from(picked.dataSync())).toEqual([all[4], all[2]].map((x) => expect.closeTo(x, 5)));
      [scores, picked].forEach((t) => t.dispose());
      model.dispose();
    }
  });

  it("says when the quantizer has no Semantic IDs yet", () => {
    expect(() => new program.BigramModel(data, { table: null })).toThrow(/quantizer sid has no Semantic IDs/);
  });
});
