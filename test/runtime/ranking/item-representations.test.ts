import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { hashBucket } from "../../../src/runtime/layers/embedding.js";
import { ParamStore } from "../../../src/runtime/layers/params.js";
import {
  DenseRepresentation,
  ngramBucket,
  ngramRepresentation,
  randomIdRepresentation,
  spmRepresentation,
  ngramItemRows,
  type SpmRepresentation,
} from "../../../src/runtime/ranking/item-representations.js";
import type { SemanticIdTable } from "../../../src/runtime/ranking/inputs.js";
import { expectTensorsClose, useCpuBackend } from "../../helpers/tf.js";

beforeAll(useCpuBackend);

// Three items with L = 3 levels, K = 4 codes, and a collision suffix (tokensPerItem 4).
const table: SemanticIdTable = {
  levels: 3,
  codebook: 4,
  tokensPerItem: 4,
  codes: Int32Array.from([-1, -1, -1, -1, /* 1 */ 1, 2, 3, 0, /* 2 */ 1, 2, 0, 0, /* 3 */ 1, 2, 3, 1]),
  collisions: { maxSuffix: 1, collidingItems: 2 },
};

describe("n-gram rows", () => {
  it("indexes an n-gram exactly when K^n fits the row budget", () => {
    // (1,2,3), n = 2, rows 16 = 4²: table 0 gets 1·4+2 = 6, table 1 gets 2·4+3 = 11, offset 16.
    expect(ngramItemRows([1, 2, 3], 0, 3, 4, 2, 16)).toEqual([6, 27]);
    // n = 1: three tables of K = 4 rows (the budget 65536 is not used beyond K^n).
    expect(ngramItemRows([1, 2, 3], 0, 3, 4, 1, 65536)).toEqual([1, 6, 11]);
    // n = 3: one table, v = (1·4+2)·4+3 = 27.
    expect(ngramItemRows([1, 2, 3], 0, 3, 4, 3, 64)).toEqual([27]);
  });

  it("hashes the mixed-radix index into the budget when K^n does not fit", () => {
    // bucket(v) = ((1103515245·v + 12345) mod (2^31 − 1)) mod rows, worked out by hand:
    // v = 6 → 4, v = 11 → 0 (mod 5).
    expect(ngramItemRows([1, 2, 3], 0, 3, 4, 2, 5)).toEqual([4, 5 + 0]);
    expect(ngramBucket([1, 2, 3, 4], 256, 1000)).toBe(631); // v = 16909060
    // v = 3368667851 > 2^31: reduced mod 2^31 − 1 to 1221184204 first, then bucket 31.
    expect(ngramBucket([200, 201, 202, 203], 256, 1000)).toBe(31);
  });
});

describe("item representations", () => {
  const dim = 2;
  const inputs = (counts?: number[]) => ({ numItems: 3, dim, params: new ParamStore(0), ...(counts ? { itemCounts: counts } : {}) });

  it("reports row budgets: buckets, (L − n + 1) × rows-per-table, vocab", () => {
    expect(randomIdRepresentation(7, inputs()).budget).toEqual({ tables: 1, rowsPerTable: 7, rows: 7, parameters: 14 });
    expect(ngramRepresentation(table, 2, 5, inputs()).budget).toEqual({ tables: 2, rowsPerTable: 5, rows: 10, parameters: 20 });
    expect(ngramRepresentation(table, 1, 100, inputs()).budget).toEqual({ tables: 3, rowsPerTable: 4, rows: 12, parameters: 24 });
    expect(spmRepresentation(table, 20, inputs()).budget).toEqual({ tables: 1, rowsPerTable: 20, rows: 20, parameters: 40 });
    const features = { dim: 3, numItems: 3, vectors: new Float32Array(4 * 3) };
    const d = new DenseRepresentation(features, inputs());
    expect(d.budget).toEqual({ tables: 0, rowsPerTable: 0, rows: 0, parameters: 3 * 2 + 2 });
    d.dispose();
  });

  it("random_id reads one hashed row per item", () => {
    const r = randomIdRepresentation(7, inputs());
    expect([1, 2, 3].map((i) => r.rowsOf(i))).toEqual([[hashBucket(1, 7)], [hashBucket(2, 7)], [hashBucket(3, 7)]]);
    expect([1, 2, 3].map((i) => r.rowsOf(i)[0])).toEqual([4, 3, 3]); // by hand: items 2 and 3 collide
    expect(r.rowsOf(0)).toEqual([]);
  });

  it("semantic_id embeds the sum of its n-gram rows, ignores the suffix, and zeros the pad", () => {
    const params = new ParamStore(0);
    const r = ngramRepresentation(table, 2, 16, { numItems: 3, dim, params });
    // Items 1 and 3 differ only in the suffix: the same rows.
    expect(r.rowsOf(1)).toEqual([6, 27]);
    expect(r.rowsOf(3)).toEqual([6, 27]);
    expect(r.rowsOf(2)).toEqual([6, 16 + 8]);
    const values = Float32Array.from({ length: 32 * dim }, (_, k) => k);
    params
      .variables()
      .get("table")!
      .assign(tf.tensor2d(values, [32, dim]));
    const row = (i: number) => [values[i * dim], values[i * dim + 1]];
    const sum = (a: number[], b: number[]) => a.map((x, k) => x + b[k]);
    const out = r.embed(Int32Array.from([2, 0, 1]));
    expectTensorsClose(out, tf.tensor2d([sum(row(6), row(24)), [0, 0], sum(row(6), row(27))]));
    out.dispose();
  });

  it("spm learns pieces weighted by training counts and sums the pieces' rows", () => {
    // Counts: item 1 seen 3 times, items 2 and 3 never (cold): only item 1's spans are pieces.
    const r: SpmRepresentation = spmRepresentation(table, 20, inputs([0, 3, 0, 0]));
    expect(r.vocabulary.pieces.slice(12)).toEqual([
      { start: 0, codes: [1, 2] },
      { start: 1, codes: [2, 3] },
      { start: 0, codes: [1, 2, 3] },
    ]);
    expect(r.rowsOf(1)).toEqual([14]);
    // Cold item 2 (1,2,0) is cut into the warm prefix piece and (level 2, code 0).
    expect(r.rowsOf(2)).toEqual([12, 8]);
  });

  it("dense projects the content vector", () => {
    const params = new ParamStore(0);
    const features = { dim: 3, numItems: 3, vectors: Float32Array.from([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2]) };
    const d = new DenseRepresentation(features, { numItems: 3, dim, params });
    const vars = params.variables();
    vars.get("projection/kernel")!.assign(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]));
    vars.get("projection/bias")!.assign(tf.tensor1d([0.5, -0.5]));
    const out = d.embed(Int32Array.from([1, 3, 0]));
    expectTensorsClose(
      out,
      tf.tensor2d([
        [1.5, 1.5],
        [10.5, 11.5],
        [0, 0],
      ]),
    );
    out.dispose();
    d.dispose();
  });

  it("names a bad n-gram size", () => {
    expect(() => ngramRepresentation(table, 4, 4, inputs())).toThrow(/n = 4/);
  });
});
