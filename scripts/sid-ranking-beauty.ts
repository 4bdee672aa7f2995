// A small end-to-end run of the Semantic-ID ranking comparison on Amazon Beauty (PAPERS.md §2):
// random_id vs semantic_id(ngram) vs semantic_id(spm) at a matched number of table rows, one seed,
// short training, test-split AUC / NDCG@10 over the target + sampled negatives, by slice (all,
// cold_start, head/tail). The Semantic IDs come from an RQ-VAE over TF-IDF+SVD content vectors
// (--ids rqvae, the spec's quantizer) or are random codes (--ids random, labelled as such).
// Usage:
//   npx tsx scripts/sid-ranking-beauty.ts [--ids rqvae|random] [--rows 16384] [--epochs 2]
//     [--rqvae-epochs 20] [--negatives 99] [--variants random_id,ngram,spm] [--backend wasm]
import { mkdtempSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { selectBackend } from "../src/runtime/backend/select-backend.js";
import { SidQuantizer, sidTraining } from "../generated/sid_ranking/model.js";
import { itemContentVectors } from "../src/runtime/features/item-content-vectors.js";
import { formatEvaluation } from "../src/runtime/pipeline/evaluate-model.js";
import { readAmazon } from "../src/runtime/data/read-amazon.js";
import { prepareInteractions } from "../src/runtime/pipeline/prepare-data.js";
import type { TrainAttributes } from "../src/ir/index.js";
import { trainModel } from "../src/runtime/pipeline/train-model.js";
import { rqVaeCodes, trainRqVae } from "../src/runtime/quantizers/rqvae.js";
import { buildSemanticIdTable, type SemanticIdTable } from "../src/runtime/quantizers/semantic-id-table.js";
import { randomIdCodes } from "../src/runtime/quantizers/random-ids.js";
import { evaluateRanking } from "../src/runtime/ranking/evaluate-ranking.js";
import type { PreparedData } from "../src/runtime/pipeline/prepare-data.js";
import type { Quantizer } from "../src/runtime/quantizers/quantizer.js";
import type { PairwiseRanker } from "../src/runtime/ranking/ranker.js";
import type { RowBudget, ItemRepresentation } from "../src/runtime/ranking/item-representations.js";
import { importGeneratedModel } from "../test/helpers/generated-model.js";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const idsKind = arg("ids", "rqvae");
const rows = Number(arg("rows", "16384"));
const epochs = Number(arg("epochs", "2"));
const negatives = Number(arg("negatives", "99"));
const variants = arg("variants", "random_id,ngram,spm").split(",");
const log = (line: string) => process.stderr.write(`${line}\n`);
const backend = await selectBackend(arg("backend", "wasm"));
log(`backend ${backend.name}`);

const root = path.resolve(import.meta.dirname, "..");
const store = await readAmazon(path.join(root, "data/amazon-beauty"), "Beauty");
const data = prepareInteractions("beauty", { store }, { split: "leave_last_out", history: 20, window: 30, stride: 5, coldStart: 0.05, minLength: 3 });
log(`beauty: ${data.numItems} items, ${data.split.train.length} train users, ${data.coldItems.size} cold items`);

let ids: SemanticIdTable;
if (idsKind === "random") {
  ids = buildSemanticIdTable(randomIdCodes(data.numItems, 3, 256, 0), 3, 256, "suffix_token");
  log("Semantic IDs: RANDOM codes (3 × 256), not an RQ-VAE — a control, not the method");
} else {
  const features = await itemContentVectors({ log, workDir: root }, "content", data, { dim: 256, source: "auto", normalize: true, seed: 0 });
  // The spec's RQ-VAE as its generated program holds it, trained for --rqvae-epochs.
  const quantizer = new SidQuantizer(features);
  const t0 = performance.now();
  const { standardization } = await trainRqVae(quantizer, features, { ...sidTraining, epochs: Number(arg("rqvae-epochs", "20")) }, { log });
  ids = buildSemanticIdTable(await rqVaeCodes(quantizer, features, standardization), 3, 256, "suffix_token");
  log(
    `RQ-VAE Semantic IDs in ${((performance.now() - t0) / 1000).toFixed(0)} s; ${ids.collisions.collidingItems} colliding items, max suffix ${ids.collisions.maxSuffix}`,
  );
}

const items: Record<string, string> = {
  random_id: `random_id(buckets: ${rows})`,
  // Two bigram tables (levels 3, n 2) share the budget.
  ngram: `semantic_id(sid, embed: ngram(n: 2, rows: ${rows / 2}))`,
  spm: `semantic_id(sid, embed: spm(vocab: ${rows}))`,
  ngram1: `semantic_id(sid, embed: ngram(n: 1, rows: ${rows}))`,
};

type Ranker = PairwiseRanker & { pairsPerCall: number; readonly budget: RowBudget; readonly item: ItemRepresentation };

/** The spec's ranker with this item representation, as the compiler generates it. */
async function rankerClass(item: string): Promise<new (data: PreparedData, sid: Quantizer) => Ranker> {
  const spec = [
    "spec sid_ranking_beauty",
    'dataset beauty = amazon("data/amazon-beauty", name: "Beauty") { history = 20  cold_start = 0.05  min_length = 3 }',
    "quantizer sid = random_ids(beauty.items) { levels = 3  codebook = 256 }",
    "model ranker = ranking(beauty) {",
    `  item = ${item}`,
    "  user = history_pool(history: 20, pool: mean)",
    "  embedding = 64",
    "  layers = [256, 128]",
    "  loss = logistic(negatives: 4, sampling: popularity)",
    "}",
  ].join("\n");
  return (await importGeneratedModel("sid-ranking-beauty.recspec", spec)).exports.RankerModel as new (data: PreparedData, sid: Quantizer) => Ranker;
}

const summary: string[] = [];
for (const v of variants) {
  const item = items[v];
  if (!item) throw new Error(`unknown variant ${v}`);
  // The Semantic IDs as the model reads them: the quantizer's name and its table.
  const Ranker = await rankerClass(item);
  const model = new Ranker(data, { name: "sid", table: ids } as unknown as Quantizer);
  model.pairsPerCall = 65_536;
  const b = model.budget;
  log(`\n== ${model.item.label}: ${b.rows} table rows (${b.tables} × ${b.rowsPerTable}), ${model.params.count()} parameters`);
  const runDir = mkdtempSync(path.join(os.tmpdir(), `sid-ranking-${v}-`));
  const t0 = performance.now();
  const spec: TrainAttributes = {
    optimizer: { type: "adam", lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
    schedule: { type: "constant" },
    epochs,
    steps: null,
    batch: 1024,
    micro_batch: null,
    clip: 0,
    early_stop: null,
    patience: 3,
    checkpoint_every: 1_000_000,
    checkpoint_minutes: 5,
    seed: 0,
  };
  const trained = await trainModel(model, data, spec, { runDir, log, progressStream: false });
  log(`trained in ${((performance.now() - t0) / 1000).toFixed(0)} s (${trained.steps} steps)`);
  const t1 = performance.now();
  const result = await evaluateRanking(model, data, {
    model: "m",
    dataset: "d",
    split: "test",
    metrics: [
      { metric: "auc", k: null },
      { metric: "ndcg", k: 10 },
    ],
    slices: [{ type: "all" }, { type: "cold_start" }, { type: "popularity", head: 0.2 }],
    candidates: { type: "sampled", negatives, sampling: "uniform" },
    exclude_history: false,
    baseline: true,
    baselines: null,
    bootstrap: 200,
  });
  log(`evaluated in ${((performance.now() - t1) / 1000).toFixed(0)} s`);
  const table = formatEvaluation({ ...result, model: model.item.label });
  process.stdout.write(`${table}\n`);
  summary.push(`${model.item.label} [${b.rows} rows]: ` + result.rows.map((r) => `${r.metric}/${r.slice} ${r.value.toFixed(4)}`).join(", "));
  model.dispose();
}
process.stdout.write(
  `\nSemantic IDs: ${idsKind === "random" ? "RANDOM codes (control)" : "RQ-VAE"}; ${epochs} epochs; 1 seed; test split, target + ${negatives} uniform negatives\n${summary.join("\n")}\n`,
);
