// A quantizer's run step: fitSemanticIds saves the table under the run folder (and into an
// experiment's shared store), restoreSemanticIds reads back the same codes, a table of other sizes
// is refused, and a cell whose quantizer another cell already fitted reuses that table.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Run } from "../../../src/runtime/program/run.js";
import type { Quantizer } from "../../../src/runtime/quantizers/quantizer.js";
import { randomIdCodes } from "../../../src/runtime/quantizers/random-ids.js";
import { fitSemanticIds, restoreSemanticIds, semanticIdFile } from "../../../src/runtime/quantizers/semantic-id-stage.js";
import { buildSemanticIdTable } from "../../../src/runtime/quantizers/semantic-id-table.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function run(shared?: Run["shared"]): Run & { lines: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "recspec-sid-stage-"));
  dirs.push(dir);
  const lines: string[] = [];
  return { dir, log: (line: string) => lines.push(line), lines, shared } as unknown as Run & { lines: string[] };
}

/** A random-codes quantizer of 30 items that counts its fits. */
function quantizer(levels = 2, codebook = 8): Quantizer & { fits: number } {
  return {
    name: "sid",
    method: "random_ids",
    levels,
    codebook,
    table: null,
    fits: 0,
    fit() {
      this.fits++;
      return buildSemanticIdTable(randomIdCodes(30, levels, codebook, 4), levels, codebook, "suffix_token");
    },
    dispose() {},
  };
}

describe("fitSemanticIds / restoreSemanticIds", () => {
  it("saves the fitted table in the run folder and restores the same codes", async () => {
    const r = run();
    const q = quantizer();
    await fitSemanticIds(r, q);
    expect(q.fits).toBe(1);
    expect(existsSync(join(r.dir, "sid", "semantic-ids.json"))).toBe(true);
    expect(semanticIdFile(r, "sid")).toBe(join(r.dir, "sid", "semantic-ids.json"));
    expect(r.lines[0]).toMatch(/^sid: 30 items, 2 levels × 8 codes; /);
    expect(r.lines[1]).toBe(`sid: Semantic IDs saved to ${join(r.dir, "sid", "semantic-ids.json")}`);
    const restored = quantizer();
    await restoreSemanticIds(r, restored);
    expect(restored.fits).toBe(0);
    expect(Array.from(restored.table!.codes)).toEqual(Array.from(q.table!.codes));
    expect(restored.table!.tokensPerItem).toBe(3);
  });

  it("refuses a saved table of other sizes than the spec's", async () => {
    const r = run();
    await fitSemanticIds(r, quantizer(2, 8));
    await expect(restoreSemanticIds(r, quantizer(3, 8))).rejects.toThrow(/table has 2 levels × 8 codes, the spec says 3 × 8/);
  });

  it("fits once across cells that share the quantizer", async () => {
    const sharedDir = mkdtempSync(join(tmpdir(), "recspec-sid-shared-"));
    dirs.push(sharedDir);
    const shared = { dir: sharedDir, keys: new Map([["sid", "k1"]]) };
    const first = quantizer();
    await fitSemanticIds(run(shared), first);
    const second = quantizer();
    const cell = run(shared);
    await fitSemanticIds(cell, second);
    expect([first.fits, second.fits]).toEqual([1, 0]);
    expect(Array.from(second.table!.codes)).toEqual(Array.from(first.table!.codes));
    expect(cell.lines[0]).toMatch(/^sid: Semantic IDs reused from .*sid-k1 \(same block and seed in another cell\)$/);
  });
});
