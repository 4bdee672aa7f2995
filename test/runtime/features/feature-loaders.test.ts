// The loaders a `features` block compiles to: itemContentVectors (TF-IDF + SVD of the items'
// tokens, `auto` picking attributes when the data set has them, cached on disk) and
// readVectorsFile (a JSON Lines file resolved from the spec's folder). Each logs one line.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { contentVectors } from "../../../src/runtime/data/content-vectors.js";
import { readAmazon } from "../../../src/runtime/data/read-amazon.js";
import { readMovieLens } from "../../../src/runtime/data/read-movielens.js";
import type { InteractionStore } from "../../../src/runtime/data/interactions.js";
import { itemContentVectors } from "../../../src/runtime/features/item-content-vectors.js";
import { readVectorsFile } from "../../../src/runtime/features/vectors-file.js";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import { SpecRunError } from "../../../src/runtime/spec-run-error.js";
import { fixture } from "../data/fixtures.js";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "recspec-features-"));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The parts of a prepared data set the loaders read. */
const prepared = (name: string, store: InteractionStore) => ({ name, numItems: store.numItems, store }) as unknown as PreparedData;

describe("itemContentVectors", () => {
  it("reads attributes for `auto` when the data set has them, then the cache", async () => {
    const store = await readMovieLens(fixture("ml-good"));
    const lines: string[] = [];
    const run = { log: (line: string) => lines.push(line), workDir: tempDir() };
    const settings = { dim: 2, source: "auto", normalize: true, seed: 3 } as const;
    const features = await itemContentVectors(run, "content", prepared("ml", store), settings);
    const direct = await contentVectors(store, { dim: 2, source: "attributes", normalize: true, seed: 3 });
    expect(features.dim).toBe(2);
    expect(features.numItems).toBe(4);
    expect(Array.from(features.vectors)).toEqual(Array.from(direct.vectors));
    expect(lines[0]).toMatch(/^features content: 4 items × 2 \(tf-idf \+ svd over attributes, \d+\.\d s\)$/);
    await itemContentVectors(run, "content", prepared("ml", store), settings);
    expect(lines[1]).toMatch(/over attributes, from cache,/);
  });

  it("says which source the data set lacks", async () => {
    const store = await readAmazon(fixture("amazon"), "Tiny");
    const run = { log: () => {}, workDir: tempDir() };
    const error = await itemContentVectors(run, "content", prepared("shop", store), { dim: 2, source: "text", normalize: true, seed: 0 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SpecRunError);
    expect((error as Error).message).toBe("features content: data set shop has no item text; use source: attributes");
  });
});

describe("readVectorsFile", () => {
  it("resolves the path from the spec's folder and logs the items without a vector", async () => {
    const store = await readMovieLens(fixture("ml-good"));
    const ids = [...store.itemIndex.keys()];
    const specDir = tempDir();
    writeFileSync(join(specDir, "v.jsonl"), `${JSON.stringify({ item: ids[0], vector: [1, 2] })}\n${JSON.stringify({ item: "nope", vector: [0, 0] })}\n`);
    const lines: string[] = [];
    const run = { log: (line: string) => lines.push(line), specDir };
    const features = await readVectorsFile(run, "vecs", prepared("ml", store), { path: "v.jsonl", dim: 2, missing: "zeros" });
    const row = store.itemIndex.get(ids[0])!;
    expect(Array.from(features.vectors.subarray(row * 2, row * 2 + 2))).toEqual([1, 2]);
    expect(features.vectors.reduce((a, b) => a + b, 0)).toBe(3);
    expect(lines[0]).toMatch(
      new RegExp(`^features vecs: 4 items × 2 from ${join(specDir, "v.jsonl")} \\(3 items without a vector \\(zeros\\), 1 unknown ids skipped\\)`),
    );
  });
});
