import { describe, expect, it } from "vitest";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import type { BlockSpec } from "../../../src/runtime/program/types.js";
import { buildGenerative, type Quantizer } from "../../../src/runtime/program/stages-tiger.js";
import { buildSemanticIdTable } from "../../../src/runtime/quantizers/semantic-id-table.js";

const block = { name: "tiger", kind: "model", type: "generative", dataset: "shop", attributes: { ids: { ref: "sid" } }, train: null } as unknown as BlockSpec;
const data = { name: "shop" } as PreparedData;

describe("buildGenerative", () => {
  it("refuses Semantic IDs that two items share when there is no collision suffix, naming both blocks", () => {
    // Items 1 and 2 share codes (0, 1); item 3 has its own.
    const table = buildSemanticIdTable(new Int32Array([-1, -1, 0, 1, 0, 1, 1, 0]), 2, 2, "none");
    const quantizer = { name: "sid", table } as unknown as Quantizer;
    expect(() => buildGenerative(block, data, { sid: quantizer })).toThrow(
      "model tiger decodes one item per Semantic ID, but quantizer sid (collisions = none) gives 2 of the 3 items of shop an ID another item also has: 2 levels × 2 codes do not separate them; set collisions = suffix_token on sid",
    );
  });

  it("names a quantizer the block asks for that the data set does not have", () => {
    expect(() => buildGenerative(block, data, {})).toThrow("model tiger: quantizer sid is not among this data set's quantizers");
  });
});
