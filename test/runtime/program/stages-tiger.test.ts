import { describe, expect, it } from "vitest";
import { semanticIdsFor } from "../../../src/runtime/models/generative.js";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import type { Quantizer } from "../../../src/runtime/quantizers/quantizer.js";
import { buildSemanticIdTable } from "../../../src/runtime/quantizers/semantic-id-table.js";

const data = { name: "shop", numItems: 3 } as PreparedData;

describe("semanticIdsFor (a generated generative model's check of its quantizer)", () => {
  it("refuses Semantic IDs that two items share when there is no collision suffix, naming both blocks", () => {
    // Items 1 and 2 share codes (0, 1); item 3 has its own.
    const table = buildSemanticIdTable(new Int32Array([-1, -1, 0, 1, 0, 1, 1, 0]), 2, 2, "none");
    const quantizer = { name: "sid", table } as unknown as Quantizer;
    expect(() => semanticIdsFor("tiger", quantizer, data)).toThrow(
      "model tiger decodes one item per Semantic ID, but quantizer sid (collisions = none) gives 2 of the 3 items of shop an ID another item also has: 2 levels × 2 codes do not separate them; set collisions = suffix_token on sid",
    );
  });

  it("asks for a trained or restored quantizer", () => {
    const quantizer = { name: "sid", table: null } as unknown as Quantizer;
    expect(() => semanticIdsFor("tiger", quantizer, data)).toThrow("model tiger: quantizer sid has no Semantic IDs yet (train or restore it first)");
  });
});
