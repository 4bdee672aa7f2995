// `recspec export` through the CLI in process: the id-models fixture (a user-id two-tower and two
// matrix factorisations, tiny MovieLens-format data) trained briefly, exported, and the export read
// back — its files, the weights manifest's shapes and bytes — then loaded in Node the way a page
// loads it (recommend.js on TensorFlow.js's CPU backend), which must give the lists `recspec
// recommend` prints: the same items in the same order, scores within 1e-4. Also: refusing to
// overwrite without --force, and the error for a model not scored by vectors (a tiny TIGER).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExportManifest } from "../../src/runtime/export/export-manifest.js";
import type { Recommendation } from "../../src/runtime/recommend/recommend-items.js";
import { recommendLists, recspec, trainFixture, trainIdModels, type TrainedSpec } from "../helpers/export-fixture.js";

interface LoadedRecommender {
  model: string;
  users: string[];
  items: string[];
  has(user: string): boolean;
  recommend(user: string, k: number, options?: { includeSeen?: boolean }): Promise<{ item: string; score: number }[]>;
  dispose(): void;
}

const EXPORTS = resolve(".cache/recspec");
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

/** A fresh, not yet existing export folder under the checkout (so vitest can import its module). */
function exportDir(): string {
  mkdirSync(EXPORTS, { recursive: true });
  const parent = mkdtempSync(join(EXPORTS, "test-export-out-"));
  cleanups.push(() => rmSync(parent, { recursive: true, force: true }));
  return join(parent, "web");
}

/** Loads an export with its own recommend.js, on TensorFlow.js's CPU backend, reading files as a server would serve them. */
async function loadInNode(dir: string): Promise<LoadedRecommender> {
  await tf.setBackend("cpu");
  const module = (await import(pathToFileURL(join(dir, "recommend.js")).href)) as {
    loadRecommender(base?: string, options?: object): Promise<LoadedRecommender>;
  };
  const fetchFile = async (url: string) => new Response(readFileSync(fileURLToPath(url)));
  return module.loadRecommender(pathToFileURL(dir).href, { tf, fetch: fetchFile });
}

describe("recspec export (id models)", () => {
  let t: TrainedSpec;
  beforeAll(async () => {
    t = await trainIdModels();
    cleanups.push(t.cleanup);
  }, 240_000);

  const exportTo = (out: string, ...args: string[]) =>
    recspec(t.dir, "export", t.spec, "--program", t.program, "--runs", t.runs, "--backend", "wasm", "--out", out, ...args);

  it("writes the weights manifest, the weights, the module, the TF.js bundles, a page and a README", async () => {
    const out = exportDir();
    const r = await exportTo(out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/exported two_tower_ids: 48 users × 1 × 16, 30 items/);
    expect(readdirSync(out).sort()).toEqual([
      "README.md",
      "index.html",
      "model.json",
      "recommend.js",
      "tf-backend-cpu.min.js",
      "tf-core.min.js",
      "weights.bin",
    ]);
    const m = JSON.parse(readFileSync(join(out, "model.json"), "utf8")) as ExportManifest;
    expect(m.format).toBe("recspec-vectors");
    expect(m.recspec).toMatchObject({ spec: "id_models", model: "two_tower_ids", scoring: "max_dot", heads: 1, dim: 16, users: 48, items: 30 });
    // 377 ratings in u.data: every one is some user's seen item.
    expect(m.weightsManifest).toEqual([
      {
        paths: ["weights.bin"],
        weights: [
          { name: "queries", shape: [48, 1, 16], dtype: "float32" },
          { name: "items", shape: [31, 16], dtype: "float32" },
          { name: "seen_offsets", shape: [49], dtype: "int32" },
          { name: "seen_items", shape: [377], dtype: "int32" },
        ],
      },
    ]);
    expect(statSync(join(out, "weights.bin")).size).toBe((48 * 16 + 31 * 16 + 49 + 377) * 4);
    expect(m.userIds).toHaveLength(48);
    expect(m.itemIds[0]).toBe("");
    expect(m.itemIds).toHaveLength(31);
    // The seen lists, little-endian int32 after the floats: user 0's are the first user's items in u.data.
    const bytes = readFileSync(join(out, "weights.bin"));
    const ints = (at: number, n: number) => Array.from({ length: n }, (_, i) => bytes.readInt32LE(at + 4 * i));
    const offsets = ints((48 * 16 + 31 * 16) * 4, 49);
    expect(offsets[0]).toBe(0);
    expect(offsets[48]).toBe(377);
    const firstUser = readFileSync(resolve("test/fixtures/data/ml-clusters/u.data"), "utf8")
      .split("\n")
      .filter((l) => l.startsWith(`${m.userIds[0]}\t`))
      .map((l) => l.split("\t")[1]);
    const seen = ints((48 * 16 + 31 * 16 + 49) * 4 + offsets[0] * 4, offsets[1] - offsets[0]).map((i) => m.itemIds[i]);
    expect(seen.sort()).toEqual(firstUser.sort());
    expect(readFileSync(join(out, "index.html"), "utf8")).toMatch(
      /<script src="tf-core.min.js"><\/script>[\s\S]*import \{ loadRecommender \} from ".\/recommend.js"/,
    );
    expect(readFileSync(join(out, "README.md"), "utf8")).toMatch(/users known when the model was\s+exported/);
    expect(r.stdout.trim()).toBe(out);
  });

  it("loaded as a page loads it, gives the lists `recspec recommend` gives (two-tower and MF, with and without seen items)", async () => {
    const users = ["1", "2", "7", "19", "33", "48"];
    for (const [model, extra] of [
      ["two_tower_ids", []],
      ["mf_bpr", ["--include-seen"]],
    ] as const) {
      const out = exportDir();
      const r = await exportTo(out, "--model", model);
      expect(r.status, r.stderr).toBe(0);
      const expected = (await recommendLists(t, users, "--k", "5", "--model", model, ...extra)) as Recommendation[];
      const loaded = await loadInNode(out);
      try {
        expect(loaded.model).toBe(model);
        for (const want of expected) {
          const got = await loaded.recommend(want.user, 5, { includeSeen: extra.length > 0 });
          expect(
            got.map((x) => x.item),
            `${model} user ${want.user}`,
          ).toEqual(want.items.map((x) => x.item));
          got.forEach((x, i) => expect(Math.abs(x.score - want.items[i].score)).toBeLessThan(1e-4));
        }
        await expect(loaded.recommend("no-such-user", 5)).rejects.toThrow(/unknown user `no-such-user`/);
      } finally {
        loaded.dispose();
      }
    }
  });

  it("refuses to overwrite a non-empty folder without --force, and replaces it whole with --force", async () => {
    const out = exportDir();
    mkdirSync(out);
    writeFileSync(join(out, "mine.txt"), "keep me");
    const refused = await exportTo(out);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/is not empty; add --force to replace it/);
    expect(readdirSync(out)).toEqual(["mine.txt"]);
    const forced = await exportTo(out, "--force");
    expect(forced.status, forced.stderr).toBe(0);
    expect(existsSync(join(out, "mine.txt"))).toBe(false);
    expect(existsSync(join(out, "model.json"))).toBe(true);
    // No temporary folder left beside it.
    expect(readdirSync(join(out, ".."))).toEqual(["web"]);
  });

  it("`exec DIR --stage export` exports from the written program", async () => {
    const out = exportDir();
    const r = await recspec(t.dir, "exec", t.program, "--stage", "export", "--runs", t.runs, "--backend", "wasm", "--out", out, "--model", "mf_softmax");
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(readFileSync(join(out, "model.json"), "utf8")) as ExportManifest).recspec.model).toBe("mf_softmax");
  });

  it("command-line mistakes: no --out (exit 2), an unknown model (exit 2)", async () => {
    const noOut = await recspec(t.dir, "export", t.spec, "--program", t.program, "--runs", t.runs);
    expect(noOut.status).toBe(2);
    expect(noOut.stderr).toMatch(/--out DIR/);
    const unknown = await exportTo(exportDir(), "--model", "nope");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/no model `nope`; its models are `two_tower_ids`, `mf_bpr`, `mf_softmax`/);
  });
});

describe("recspec export (a generative model)", () => {
  it("is an error naming the family (RS6041, exit 1), and writes nothing", async () => {
    const tiger = await trainFixture("tiny_tiger", null, (t) => t.replace(/steps = 20/, "steps = 2"));
    cleanups.push(tiger.cleanup);
    const out = exportDir();
    const r = await recspec(tiger.dir, "export", tiger.spec, "--program", tiger.program, "--runs", tiger.runs, "--backend", "wasm", "--out", out);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error\[RS6041\]: cannot export `tiger`, a `generative` model/);
    expect(r.stderr).toMatch(/two_tower, matrix_factorization and sequential/);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});
