import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DataError } from "../../../src/runtime/data/data-error.js";
import { readVectorsJsonl } from "../../../src/runtime/features/read-vectors.js";

const catalogue = new Map([
  ["a", 1],
  ["b", 2],
]);

function file(lines: string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), "recspec-vectors-")), "vectors.jsonl");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

describe("readVectorsJsonl", () => {
  it("reads one vector per catalogue item into its row (row 0 stays padding)", async () => {
    const r = await readVectorsJsonl(file(['{"item": "b", "vector": [3, 4]}', '{"item": "a", "vector": [1, 2]}']), catalogue, 2, 2, { dataset: "shop" });
    expect([...r.vectors]).toEqual([0, 0, 1, 2, 3, 4]);
  });

  it("names the line of a vector whose item the catalogue lacks, and the data set", async () => {
    const path = file(['{"item": "a", "vector": [1, 2]}', '{"item": "zzz", "vector": [0, 0]}', '{"item": "b", "vector": [3, 4]}']);
    const error = await readVectorsJsonl(path, catalogue, 2, 2, { dataset: "shop" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect(String(error)).toBe(
      `${path}:2: item "zzz" is not in the catalogue of data set shop (2 items); the vectors must describe that catalogue (or set \`missing = zeros\` to skip unknown items)`,
    );
  });

  it("counts the catalogue items without a vector and names one", async () => {
    const path = file(['{"item": "a", "vector": [1, 2]}']);
    await expect(readVectorsJsonl(path, catalogue, 2, 2, { dataset: "shop" })).rejects.toThrow(
      /has vectors for 1 of the 2 items of data set shop; 1 have none \(e\.g\. item "b"\)/,
    );
  });

  it("with missing = zeros, keeps zeros for missing items and skips unknown ones, counting both", async () => {
    const r = await readVectorsJsonl(file(['{"item": "a", "vector": [1, 2]}', '{"item": "zzz", "vector": [5, 5]}']), catalogue, 2, 2, {
      dataset: "shop",
      missing: "zeros",
    });
    expect([...r.vectors]).toEqual([0, 0, 1, 2, 0, 0]);
    expect([r.missing, r.unknown]).toEqual([1, 1]);
  });
});
