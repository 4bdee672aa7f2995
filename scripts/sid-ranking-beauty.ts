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
import { loadFeatures } from "../src/runtime/features/load-features.js";
import { formatEvaluation } from "../src/runtime/pipeline/evaluate-model.js";
import { prepareDataset } from "../src/runtime/pipeline/prepare-data.js";
import type { TrainSpec } from "../src/runtime/pipeline/specs.js";
import { trainModel } from "../src/runtime/pipeline/train-model.js";
import type { BlockSpec } from "../src/runtime/program/types.js";
import { createQuantizer } from "../src/runtime/quantizers/quantizer.js";
import { buildSemanticIdTable, type SemanticIdTable } from "../src/runtime/quantizers/semantic-id-table.js";
import { randomIdCodes } from "../src/runtime/quantizers/random-ids.js";
import { evaluateRanking } from "../src/runtime/ranking/evaluate-ranking.js";
import type { ItemReprConfig } from "../src/runtime/ranking/item-representations.js";
import { rankingModel } from "../src/runtime/ranking/ranking-model.js";

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
const data = await prepareDataset(
  {
    name: "beauty",
    type: "amazon",
    attributes: { dir: "data/amazon-beauty", name: "Beauty", split: "leave_last_out", history: 20, window: 30, stride: 5, cold_start: 0.05, min_length: 3 },
  },
  { baseDir: root },
);
log(`beauty: ${data.numItems} items, ${data.split.train.length} train users, ${data.coldItems.size} cold items`);

let ids: SemanticIdTable;
if (idsKind === "random") {
  ids = buildSemanticIdTable(randomIdCodes(data.numItems, 3, 256, 0), 3, 256, "suffix_token");
  log("Semantic IDs: RANDOM codes (3 × 256), not an RQ-VAE — a control, not the method");
} else {
  const featuresBlock = { name: "content", kind: "features", type: "content_vectors", dataset: "beauty", train: null, attributes: { method: "tfidf_svd", dim: 256, source: "auto", normalize: true, seed: 0 } } as BlockSpec;
  const features = await loadFeatures({ log, specDir: root, workDir: root }, featuresBlock, data);
  const attributes = {
    encoder: { type: "mlp", layers: [512, 256, 128], activation: "relu", dropout: 0 },
    latent: 32, levels: 3, codebook: 256, collisions: "suffix_token", seed: 0, beta: 0.25, init: "kmeans", standardize: true, dead_code_reset: true,
  };
  const quantizer = createQuantizer("sid", "rqvae", attributes, features.dim);
  const train: TrainSpec = {
    optimizer: { type: "adam", lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 }, schedule: { type: "constant" },
    epochs: Number(arg("rqvae-epochs", "20")), steps: null, batch: 256, micro_batch: null, clip: 0, early_stop: null, patience: 3, checkpoint_every: 1_000_000, seed: 0,
  };
  const t0 = performance.now();
  ids = quantizer.fit({ features, numItems: data.numItems, train, options: { log } });
  log(`RQ-VAE Semantic IDs in ${((performance.now() - t0) / 1000).toFixed(0)} s; ${ids.collisions.collidingItems} colliding items, max suffix ${ids.collisions.maxSuffix}`);
}

const configs: Record<string, ItemReprConfig> = {
  random_id: { type: "random_id", buckets: rows },
  // Two bigram tables (levels 3, n 2) share the budget.
  ngram: { type: "semantic_id", embed: { type: "ngram", n: 2, rows: rows / 2 } },
  spm: { type: "semantic_id", embed: { type: "spm", vocab: rows } },
  ngram1: { type: "semantic_id", embed: { type: "ngram", n: 1, rows } },
};

const summary: string[] = [];
for (const v of variants) {
  const item = configs[v];
  if (!item) throw new Error(`unknown variant ${v}`);
  const model = rankingModel(
    { item, user: { type: "history_pool", history: null, pool: "mean" }, embedding: 64, layers: [256, 128], loss: { type: "logistic", negatives: 4, sampling: "popularity" } },
    data,
    { ids },
    0,
  );
  model.pairsPerCall = 65_536;
  const b = model.budget;
  log(`\n== ${model.item.label}: ${b.rows} table rows (${b.tables} × ${b.rowsPerTable}), ${model.params.count()} parameters`);
  const runDir = mkdtempSync(path.join(os.tmpdir(), `sid-ranking-${v}-`));
  const t0 = performance.now();
  const spec: TrainSpec = {
    optimizer: { type: "adam", lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 }, schedule: { type: "constant" },
    epochs, steps: null, batch: 1024, micro_batch: null, clip: 0, early_stop: null, patience: 3, checkpoint_every: 1_000_000, seed: 0,
  };
  const trained = await trainModel(model, data, spec, { runDir, log, progressStream: false });
  log(`trained in ${((performance.now() - t0) / 1000).toFixed(0)} s (${trained.steps} steps)`);
  const t1 = performance.now();
  const result = await evaluateRanking(model, data, {
    split: "test",
    metrics: [{ metric: "auc", k: null }, { metric: "ndcg", k: 10 }],
    slices: [{ type: "all" }, { type: "cold_start" }, { type: "popularity", head: 0.2 }],
    candidates: { type: "sampled", negatives, sampling: "uniform" },
    exclude_history: false,
    baseline: true,
    bootstrap: 200,
  });
  log(`evaluated in ${((performance.now() - t1) / 1000).toFixed(0)} s`);
  const table = formatEvaluation({ ...result, model: model.item.label });
  process.stdout.write(`${table}\n`);
  summary.push(`${model.item.label} [${b.rows} rows]: ` + result.rows.map((r) => `${r.metric}/${r.slice} ${r.value.toFixed(4)}`).join(", "));
  model.dispose();
}
process.stdout.write(`\nSemantic IDs: ${idsKind === "random" ? "RANDOM codes (control)" : "RQ-VAE"}; ${epochs} epochs; 1 seed; test split, target + ${negatives} uniform negatives\n${summary.join("\n")}\n`);
