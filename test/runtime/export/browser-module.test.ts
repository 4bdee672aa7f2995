// The export's inference module (assets/recommend.js) on hand-made vectors: two users with two
// query heads each, three items in two dimensions, written through exportManifest and writeExport
// and loaded in Node on TensorFlow.js's CPU backend as a page loads it. Scores are checked against
// values computed by hand — max over heads of the dot product — with seen items left out, ties to
// the lower item index, and a list shorter than k when fewer items are left.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { afterAll, describe, expect, it } from "vitest";
import { exportManifest } from "../../../src/runtime/export/export-manifest.js";
import type { ExportedVectors } from "../../../src/runtime/export/export-vectors.js";
import { writeExport } from "../../../src/runtime/export/write-export.js";

mkdirSync(resolve(".cache/recspec"), { recursive: true });
const parent = mkdtempSync(resolve(".cache/recspec", "test-browser-module-"));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

// Items (row 0 the padding item): x = (1, 0), y = (0, 1), z = (1, 1).
// User a: heads (2, 0) and (0, 3) → x 2, y 3, z max(2, 3) = 3; a has seen x.
// User b: heads (−1, 1) and (0.5, 0.5) → x max(−1, 0.5) = 0.5, y 1, z max(0, 1) = 1; b has seen z.
const vectors: ExportedVectors = {
  queries: Float32Array.of(2, 0, 0, 3, -1, 1, 0.5, 0.5),
  items: Float32Array.of(0, 0, 1, 0, 0, 1, 1, 1),
  heads: 2,
  dim: 2,
  seenOffsets: Int32Array.of(0, 1, 2),
  seenItems: Int32Array.of(1, 3),
  userIds: ["a", "b"],
  itemIds: ["", "x", "y", "z"],
};

interface Loaded {
  recommend(user: string, k: number, options?: { includeSeen?: boolean }): Promise<{ item: string; score: number }[]>;
  users: string[];
  items: string[];
  has(user: string): boolean;
  dispose(): void;
}

async function load(): Promise<Loaded> {
  const dir = join(parent, "web");
  const { manifest, weights } = exportManifest(vectors, { spec: "hand", model: "m", run: "r1", generatedBy: "test" });
  writeExport(dir, manifest, weights);
  await tf.setBackend("cpu");
  const module = (await import(pathToFileURL(join(dir, "recommend.js")).href)) as { loadRecommender(base: string, options: object): Promise<Loaded> };
  return module.loadRecommender(pathToFileURL(dir).href, { tf, fetch: async (url: string) => new Response(readFileSync(fileURLToPath(url))) });
}

describe("the export's recommend.js", () => {
  it("scores by the best head's dot product, leaves seen items out, breaks ties by the lower index", async () => {
    const r = await load();
    try {
      expect(r.users).toEqual(["a", "b"]);
      expect(r.items).toEqual(["x", "y", "z"]);
      expect(await r.recommend("a", 5)).toEqual([
        { item: "y", score: 3 },
        { item: "z", score: 3 },
      ]);
      expect(await r.recommend("a", 5, { includeSeen: true })).toEqual([
        { item: "y", score: 3 },
        { item: "z", score: 3 },
        { item: "x", score: 2 },
      ]);
      expect(await r.recommend("b", 1)).toEqual([{ item: "y", score: 1 }]);
      expect(await r.recommend("b", 3)).toEqual([
        { item: "y", score: 1 },
        { item: "x", score: 0.5 },
      ]);
      expect(r.has("b")).toBe(true);
      expect(r.has("c")).toBe(false);
      await expect(r.recommend("c", 3)).rejects.toThrow(/unknown user `c`: the export knows the 2 users/);
      await expect(r.recommend("a", 0)).rejects.toThrow(/k must be a positive integer/);
    } finally {
      r.dispose();
    }
  });
});
