// Shared fixtures for ranking tests: tiny synthetic data with cold items, Semantic IDs that encode
// the synthetic item clusters, and a quiet short training run.
import * as os from "node:os";
import * as path from "node:path";
import { mkdtempSync } from "node:fs";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import type { TrainAttributes } from "../../../src/ir/index.js";
import { trainModel } from "../../../src/runtime/pipeline/train-model.js";
import { buildSemanticIdTable, type SemanticIdTable } from "../../../src/runtime/quantizers/semantic-id-table.js";
import type { RecModel } from "../../../src/runtime/models/rec-model.js";
import { tinyData } from "../models/fixtures.js";

export function rankingData(coldShare: number): Promise<PreparedData> {
  return tinyData({ cold_start: coldShare, users: 400 });
}

/** Codes (cluster, rank within cluster mod 8) + a collision suffix: items of a cluster share level 0. */
export function clusterSemanticIds(data: PreparedData): SemanticIdTable {
  const cluster = data.synthetic!.itemCluster;
  const rank = data.synthetic!.itemRank;
  const base = new Int32Array((data.numItems + 1) * 2);
  for (let i = 1; i <= data.numItems; i++) base.set([cluster[i], (rank[i] - 1) % 8], i * 2);
  return buildSemanticIdTable(base, 2, 8, "suffix_token");
}

export function trainSpec(epochs: number, seed = 0): TrainAttributes {
  return {
    optimizer: { type: "adam", lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
    schedule: { type: "constant" },
    epochs,
    steps: null,
    batch: 128,
    micro_batch: null,
    clip: 0,
    early_stop: null,
    patience: 3,
    checkpoint_every: 100_000,
    checkpoint_minutes: 5,
    seed,
  };
}

export async function trainQuietly(model: RecModel, data: PreparedData, epochs: number): Promise<void> {
  const runDir = mkdtempSync(path.join(os.tmpdir(), "ranking-test-"));
  await trainModel(model, data, trainSpec(epochs), { runDir, progressStream: false, log: () => {} });
}
