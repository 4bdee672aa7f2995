// Configuration differences between two recorded IRs, named by the spec's own paths.
import { describe, expect, it } from "vitest";
import { diffConfigs } from "../../../src/runtime/runs/config-diff.js";

const ir = (batch: number, layers: number, extra: Record<string, unknown> = {}) => ({
  blocks: [
    { name: "synth", kind: "dataset", type: "synthetic", attributes: { users: 300 }, train: null },
    { name: "sasrec", kind: "model", type: "sequential", attributes: { embedding: 64, encoder: { type: "transformer", layers } }, train: { batch, seed: 0 } },
  ],
  evaluations: [{ model: "sasrec", dataset: "synth", split: "test", metrics: [{ metric: "hr", k: 10 }] }],
  experiments: [],
  params: {},
  ...extra,
});

describe("diffConfigs", () => {
  it("names each changed attribute by its path, old → new", () => {
    expect(diffConfigs(ir(128, 2), ir(256, 3))).toEqual({ training: ["sasrec.encoder.layers: 2 → 3", "sasrec.train.batch: 128 → 256"], other: [] });
  });

  it("reports added and removed blocks, and keeps evaluation changes apart from training", () => {
    const after = ir(128, 2, {
      blocks: [...ir(128, 2).blocks, { name: "items", kind: "tower", type: "item_tower", attributes: {}, train: null }],
      evaluations: [{ model: "sasrec", dataset: "synth", split: "test", metrics: [{ metric: "hr", k: 20 }] }],
    });
    expect(diffConfigs(ir(128, 2), after)).toEqual({ training: ["block items: added"], other: ["evaluate sasrec on synth.test.metrics[0].k: 10 → 20"] });
  });

  it("finds nothing between equal configurations", () => {
    expect(diffConfigs(ir(64, 1), ir(64, 1))).toEqual({ training: [], other: [] });
  });
});
