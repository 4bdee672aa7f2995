// The models a user reaches for first, through `recspec run` as a user runs it: a two-tower over
// user and item ids, matrix factorisation with BPR and with a full softmax, trained on a tiny
// MovieLens-format data set (48 users, each keeping to one of three clusters of 10 items), with
// popularity and item-kNN reported beside them in the results table, results.json and the report.
import { spawnSync } from "node:child_process";
import { cpSync, copyFileSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const BIN = resolve("bin/recspec.js");

type Row = { metric: string; slice: string; value: number; baseline: { value: number } | null; baselines?: { name: string; value: number }[] };
type Result = { model: string; baselineNames?: string[]; rows: Row[] };

describe("id-based models through the CLI", () => {
  it("trains a user-id two-tower, MF-BPR and MF-softmax and reports popularity and item-kNN beside them", () => {
    const cwd = mkdtempSync(join(tmpdir(), "recspec-ids-"));
    copyFileSync(resolve("test/fixtures/specs/id-models.recspec"), join(cwd, "ids.recspec"));
    cpSync(resolve("test/fixtures/data/ml-clusters"), join(cwd, "ml"), { recursive: true });
    const r = spawnSync(process.execPath, [BIN, "run", "ids.recspec", "--backend", "wasm"], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    const out = `${r.stdout}${r.stderr}`;
    expect(r.status, out).toBe(0);
    // One column per listed baseline in the printed table; `baseline` left at its default is popularity alone.
    expect(out).toMatch(/metric\s+slice\s+n\s+two_tower_ids\s+popularity\s+item_knn/);
    expect(out).toMatch(/metric\s+slice\s+n\s+mf_bpr\s+popularity\s+item_knn/);
    expect(out).toMatch(/metric\s+slice\s+n\s+mf_softmax\s+popularity\n/);

    const root = join(cwd, "runs", "id_models");
    const [dir] = readdirSync(root).map((d) => join(root, d));
    const results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as Result[];
    const recall = (model: string) => results.find((x) => x.model === model)!.rows.find((row) => row.metric === "recall@10" && row.slice === "all")!;
    for (const model of ["two_tower_ids", "mf_bpr", "mf_softmax"]) {
      const row = recall(model);
      // Each user keeps to a cluster: a model that learned who likes what beats the global popularity list.
      expect(row.value, model).toBeGreaterThan(row.baseline!.value);
    }
    const tt = results.find((x) => x.model === "two_tower_ids")!;
    expect(tt.baselineNames).toEqual(["popularity", "item_knn"]);
    const listed = recall("two_tower_ids").baselines!;
    expect(listed.map((b) => b.name)).toEqual(["popularity", "item_knn"]);
    expect(listed[0].value).toBe(recall("two_tower_ids").baseline!.value);
    // Item-kNN over cluster co-occurrence ranks a user's own cluster first: far above popularity.
    expect(listed[1].value).toBeGreaterThan(listed[0].value + 0.2);
    // The baselines do not depend on the model they stand beside.
    expect(recall("mf_bpr").baselines).toEqual(listed);
    // The report shows item-kNN as a row of its own.
    expect(readFileSync(join(dir, "report.html"), "utf8")).toContain("<td>item_knn</td>");
  }, 240_000);
});
