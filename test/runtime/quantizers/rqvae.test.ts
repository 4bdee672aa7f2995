import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { beforeAll, describe, expect, it } from "vitest";
import type { ItemFeatures } from "../../../src/runtime/features/item-features.js";
import type { TrainSpec } from "../../../src/runtime/pipeline/specs.js";
import { kMeans } from "../../../src/runtime/quantizers/kmeans.js";
import { createQuantizer } from "../../../src/runtime/quantizers/quantizer.js";
import { codebookUsage } from "../../../src/runtime/quantizers/semantic-id-table.js";
import { Rng } from "../../../src/runtime/random.js";
import { useCpuBackend } from "../../helpers/tf.js";

beforeAll(useCpuBackend);

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
  for (let i = 1; i <= n; i++)
    for (let j = 0; j < dim; j++)
      vectors[i * dim + j] =
        centres[((i - 1) % 4) * dim + j] + 0.3 * rng.normal();
  return {
    features: { dim, numItems: n, vectors },
    cluster: (i) => (i - 1) % 4,
  };
}

const train = (overrides: Partial<TrainSpec> = {}): TrainSpec => ({
  optimizer: {
    type: "adamw",
    lr: 3e-3,
    weight_decay: 1e-4,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
  },
  schedule: { type: "constant" },
  epochs: 15,
  steps: null,
  batch: 60,
  micro_batch: null,
  clip: 0,
  early_stop: null,
  patience: 3,
  checkpoint_every: 1000,
  seed: 0,
  ...overrides,
});

const attributes = {
  encoder: { type: "mlp", layers: [16], activation: "relu", dropout: 0 },
  latent: 4,
  levels: 2,
  codebook: 4,
  collisions: "suffix_token",
  seed: 0,
  beta: 0.25,
  init: "kmeans",
  standardize: true,
  dead_code_reset: true,
};

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
  it("trains, lowers its loss, uses its codebooks and gives items of one content cluster the same first code", () => {
    const { features, cluster } = clustered();
    const q = createQuantizer("sid", "rqvae", attributes, features.dim);
    const epochs: { loss: number; usage: number[] }[] = [];
    const table = q.fit({
      features,
      numItems: features.numItems,
      train: train(),
      options: { onEpoch: (e) => epochs.push(e) },
    });
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
        const agree =
          table.codes[i * table.tokensPerItem] ===
          table.codes[j * table.tokensPerItem]
            ? 1
            : 0;
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

  it("initialises codebooks the same way for the same seed", () => {
    const { features } = clustered();
    const books = () => {
      const q = createQuantizer("sid", "rqvae", attributes, features.dim);
      q.fit({
        features,
        numItems: features.numItems,
        train: train({
          epochs: 1,
          optimizer: { type: "sgd", lr: 1e-9, momentum: 0 },
        }),
      });
      const values = q.rqvae!.codebooks().map((b) => Array.from(b.dataSync()));
      q.dispose();
      return values;
    };
    const before = tf.memory().numTensors;
    expect(books()).toEqual(books());
    expect(tf.memory().numTensors).toBe(before);
  });
});
