import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { randomIdCodes } from "../../../src/runtime/quantizers/random-ids.js";
import { lshCodes } from "../../../src/runtime/quantizers/lsh.js";
import { buildSemanticIdTable, codebookUsage, loadSemanticIdTable, saveSemanticIdTable } from "../../../src/runtime/quantizers/semantic-id-table.js";
import { Rng } from "../../../src/runtime/random.js";

describe("Semantic-ID table", () => {
  it("numbers items sharing base codes in item order, so every ID is unique", () => {
    // Items 1..5 with base codes (2 levels): 1 and 3 and 5 collide, 2 and 4 are unique.
    const base = Int32Array.from([-1, -1, 0, 1, 2, 3, 0, 1, 1, 1, 0, 1]);
    const table = buildSemanticIdTable(base, 2, 4, "suffix_token");
    expect(table.tokensPerItem).toBe(3);
    expect(Array.from(table.codes)).toEqual([-1, -1, -1, 0, 1, 0, 2, 3, 0, 0, 1, 1, 1, 1, 0, 0, 1, 2]);
    expect(table.collisions).toEqual({ maxSuffix: 2, collidingItems: 3 });
    const ids = new Set<string>();
    for (let i = 1; i <= 5; i++) ids.add(Array.from(table.codes.subarray(i * 3, i * 3 + 3)).join(","));
    expect(ids.size).toBe(5);
    expect(codebookUsage(table).perLevel).toEqual([3 / 4, 2 / 4]);
    const none = buildSemanticIdTable(base, 2, 4, "none");
    expect(none.tokensPerItem).toBe(2);
  });

  it("makes random and LSH IDs unique after the suffix, for many items", () => {
    const n = 500;
    const dim = 8;
    const rng = new Rng(1);
    const vectors = new Float32Array((n + 1) * dim);
    for (let k = dim; k < vectors.length; k++) vectors[k] = rng.normal();
    for (const base of [randomIdCodes(n, 2, 8, 3), lshCodes({ dim, numItems: n, vectors }, 2, 8, 3)]) {
      const table = buildSemanticIdTable(base, 2, 8, "suffix_token");
      const ids = new Set<string>();
      for (let i = 1; i <= n; i++) ids.add(Array.from(table.codes.subarray(i * 3, i * 3 + 3)).join(","));
      expect(ids.size).toBe(n);
      // 500 items in 64 base tuples must collide.
      expect(table.collisions.maxSuffix).toBeGreaterThan(0);
      for (let i = 1; i <= n; i++) for (let l = 0; l < 2; l++) expect(table.codes[i * 3 + l]).toBeLessThan(8);
    }
  });

  it("puts nearby vectors in the same LSH bucket more often than far ones", () => {
    const dim = 16;
    const rng = new Rng(4);
    const n = 400;
    const vectors = new Float32Array((n + 1) * dim);
    // Pairs (2k+1, 2k+2): the second is the first plus small noise.
    for (let i = 1; i <= n; i += 2)
      for (let j = 0; j < dim; j++) {
        const v = rng.normal();
        vectors[i * dim + j] = v;
        vectors[(i + 1) * dim + j] = v + 0.05 * rng.normal();
      }
    const codes = lshCodes({ dim, numItems: n, vectors }, 1, 16, 0);
    let pairs = 0;
    let strangers = 0;
    for (let i = 1; i <= n; i += 2) {
      if (codes[i] === codes[i + 1]) pairs++;
      if (codes[i] === codes[((i + 2) % n) + 1]) strangers++;
    }
    expect(pairs / (n / 2)).toBeGreaterThan(0.8);
    expect(strangers / (n / 2)).toBeLessThan(0.3);
  });

  it("saves atomically and loads the same table", () => {
    const dir = mkdtempSync(join(tmpdir(), "sid-"));
    const table = buildSemanticIdTable(randomIdCodes(20, 3, 4, 0), 3, 4, "suffix_token");
    const file = join(dir, "sid", "semantic-ids.json");
    saveSemanticIdTable(file, table, { quantizer: "sid" });
    const back = loadSemanticIdTable(file);
    expect(back).toEqual(table);
    expect(readdirSync(join(dir, "sid"))).toEqual(["semantic-ids.json"]);
  });
});
