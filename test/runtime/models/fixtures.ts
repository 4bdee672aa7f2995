// Shared fixtures for model and pipeline tests: tiny synthetic data sets (prepared through the
// real pipeline) and tiny model configs, small enough for the cpu backend.
import { prepareDataset, type PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import type { EncoderConfig, SequentialConfig, TwoTowerConfig, UserTowerSpec, ItemTowerSpec } from "../../../src/runtime/models/config.js";

/** Markov-like synthetic users: strong stay probability, so the next item is predictable. */
export function tinyData(overrides: Record<string, unknown> = {}): Promise<PreparedData> {
  return prepareDataset(
    {
      name: "tiny",
      type: "synthetic",
      attributes: {
        users: 300,
        clusters: 5,
        items_per_cluster: 10,
        interests_per_user: 2,
        interest_power: 0,
        item_power: 1.0,
        stay: 0.9,
        switch: 0.1,
        return: 0,
        length: 12,
        seed: 3,
        split: "leave_last_out",
        history: 10,
        window: 30,
        stride: 5,
        cold_start: 0,
        min_length: 3,
        ...overrides,
      },
    },
    { baseDir: "." },
  );
}

export function encoder(overrides: Partial<EncoderConfig> = {}): EncoderConfig {
  return {
    type: "transformer",
    layers: 1,
    heads: 2,
    head_dim: null,
    d_model: null,
    d_ff: 32,
    dropout: 0,
    causal: true,
    activation: "gelu",
    norm: "pre",
    max_positions: 64,
    ...overrides,
  };
}

export function sequentialConfig(overrides: Partial<SequentialConfig> = {}): SequentialConfig {
  return {
    embedding: 16,
    encoder: encoder(),
    loss: { type: "softmax", label_smoothing: 0 },
    positions: "all",
    ...overrides,
  };
}

export function twoTowerConfig(overrides: Partial<TwoTowerConfig> = {}): TwoTowerConfig {
  return {
    score: "max_interest",
    loss: { type: "sampled_softmax", negatives: "in_batch", count: 10, logq: false, temperature: 1 },
    weighting: { type: "none" },
    ...overrides,
  };
}

export function multiInterestTower(interests: number, embedding = 16): UserTowerSpec {
  return {
    type: "multi_interest",
    attributes: { embedding, attention: { type: "self_attention", layers: 1, heads: 1, dropout: 0 }, interests, output: null, disagreement: 0 },
  };
}

export function itemTowerSpec(embedding = 16): ItemTowerSpec {
  return { type: "item_tower", attributes: { embedding, layers: [], output: null } };
}
