import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { contentVectors, contentVectorsFromTokens, itemTokens } from "../../../src/runtime/data/content-vectors.js";
import { readAmazon } from "../../../src/runtime/data/read-amazon.js";
import { readMovieLens } from "../../../src/runtime/data/read-movielens.js";
import { fixture } from "./fixtures.js";

const dirs: string[] = [];
async function cacheDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "recspec-cv-"));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const norm = (v: Float32Array, row: number, dim: number) => Math.hypot(...v.subarray(row * dim, (row + 1) * dim));

describe("itemTokens", () => {
  it("takes attribute ids or words of the text, per item", async () => {
    const ml = await readMovieLens(fixture("ml-good"));
    const attrs = itemTokens(ml, "attributes");
    expect(attrs).toHaveLength(4);
    expect(attrs[0]).toEqual(["a:Animation", "a:Children's", "a:Comedy"]);
    expect(itemTokens(ml, "text")[3]).toEqual(["w:les", "w:misérables", "w:1995"]);
    expect(itemTokens(ml, "attributes+text")[2]).toEqual(["a:Thriller", "w:four", "w:rooms", "w:1995"]);
    const amazon = await readAmazon(fixture("amazon"), "Tiny");
    expect(() => itemTokens(amazon, "text")).toThrow(/no item text/);
  });
});

describe("contentVectors", () => {
  it("gives unit rows, a zero padding row, and equal vectors for equal token sets", async () => {
    const tokens = [["x", "y"], ["y", "z"], ["x", "y"], ["w"], []];
    const cv = await contentVectorsFromTokens(tokens, { dim: 3, seed: 1 });
    expect(cv.rows).toBe(6);
    expect(cv.vectors.length).toBe(18);
    expect(norm(cv.vectors, 0, 3)).toBe(0);
    for (const r of [1, 2, 3, 4]) expect(norm(cv.vectors, r, 3)).toBeCloseTo(1, 5);
    expect(Array.from(cv.vectors.subarray(3, 6))).toEqual(Array.from(cv.vectors.subarray(9, 12)));
    expect(norm(cv.vectors, 5, 3)).toBe(0); // an item without tokens stays zero
    expect(cv.fromCache).toBe(false);
  });

  it("caches on disk: a second call reads identical vectors; other parameters miss", async () => {
    const dir = await cacheDir();
    const store = await readMovieLens(fixture("ml-good"));
    const first = await contentVectors(store, { dim: 2, seed: 3, cacheDir: dir });
    expect(first.fromCache).toBe(false);
    expect(await readdir(dir)).toEqual([`content-vectors-${first.key}.bin`]); // no temp file left
    const second = await contentVectors(store, { dim: 2, seed: 3, cacheDir: dir });
    expect(second.fromCache).toBe(true);
    expect(second.key).toBe(first.key);
    expect(Array.from(second.vectors)).toEqual(Array.from(first.vectors));
    expect(Array.from(second.singularValues)).toEqual(Array.from(first.singularValues));
    const other = await contentVectors(store, { dim: 2, seed: 3, normalize: false, cacheDir: dir });
    expect(other.fromCache).toBe(false);
    expect(other.key).not.toBe(first.key);
  });

  it("recomputes when the cache file is damaged", async () => {
    const dir = await cacheDir();
    const tokens = [["a"], ["b"], ["a", "b"]];
    const first = await contentVectorsFromTokens(tokens, { dim: 2, cacheDir: dir });
    await writeFile(join(dir, `content-vectors-${first.key}.bin`), new Uint8Array(10));
    const again = await contentVectorsFromTokens(tokens, { dim: 2, cacheDir: dir });
    expect(again.fromCache).toBe(false);
    expect(Array.from(again.vectors)).toEqual(Array.from(first.vectors));
  });

  it("embeds Beauty's 12,101 items × 637 attributes; items with the same attribute set coincide", async () => {
    const store = await readAmazon("data/amazon-beauty", "Beauty");
    const cv = await contentVectors(store, { dim: 32, seed: 0 });
    expect(cv.rows).toBe(12_102);
    // Items 745 and 666 both have attributes [15, 16] in Beauty_item2attributes.json.
    expect(Array.from(cv.vectors.subarray(745 * 32, 746 * 32))).toEqual(Array.from(cv.vectors.subarray(666 * 32, 667 * 32)));
    expect(norm(cv.vectors, 1, 32)).toBeCloseTo(1, 5);
    for (let k = 1; k < 32; k++) expect(cv.singularValues[k]).toBeLessThanOrEqual(cv.singularValues[k - 1]);
  });
});
