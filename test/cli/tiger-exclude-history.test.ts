// A tiny TIGER evaluated with `exclude_history = true`, through the CLI: `recspec run` trains it
// (early stopping on a history-excluded metric) and evaluates it; the trained program's scoreItems,
// told each test user's history, gives every user `width` distinct unseen items, where the
// history-kept search puts seen items in some lists; `recspec recommend` (seen items left out by
// default) gives K unseen items, at the spec's width and beyond it.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import type { CommandIO } from "../../src/cli/io.js";
import { userItems } from "../../src/runtime/data/interactions.js";
import type { PreparedData } from "../../src/runtime/pipeline/prepare-data.js";
import { historiesOf } from "../../src/runtime/pipeline/evaluate-model.js";
import type { Run } from "../../src/runtime/program/run.js";
import type { Recommendation, UserRecommendation } from "../../src/runtime/recommend/recommend-items.js";
import type { GenerativeRecModel } from "../../src/runtime/recommend/recommender.js";
import { trainedRun } from "../../src/runtime/recommend/trained-run.js";

const PROGRAMS = resolve(".cache/recspec/test-tiger-exclude-history");
const WIDTH = 8;
const written: string[] = [];

async function recspec(cwd: string, ...args: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CommandIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false, cwd };
  const status = await main(args, io);
  return { status, stdout, stderr };
}

describe("a generative model evaluated with exclude_history = true", () => {
  let dir: string;
  let spec: string;
  let out: string;
  let runs: string;
  let runLog: string;
  let model: GenerativeRecModel;
  let synth: PreparedData;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "recspec-tiger-exclude-"));
    written.push(dir);
    spec = join(dir, "tiny_tiger.recspec");
    const text = readFileSync(resolve("test/fixtures/specs/tiny_tiger.recspec"), "utf8")
      .replace("metrics = [hr@5]", "metrics = [hr@5, ndcg@8]\n  exclude_history = true")
      .replace("steps = 20", "steps = 20\n    early_stop = hr@5");
    expect(text).toContain("exclude_history = true");
    expect(text).toContain("early_stop = hr@5");
    expect(text).toContain(`decode = beam(width: ${WIDTH}, constrain: trie)`);
    writeFileSync(spec, text);
    mkdirSync(PROGRAMS, { recursive: true });
    out = mkdtempSync(join(PROGRAMS, "tiny_tiger-"));
    written.push(out);
    runs = join(dir, "runs");
    const r = await recspec(dir, "run", spec, "--out", out, "--runs", runs, "--backend", "wasm");
    expect(r.status, r.stderr).toBe(0);
    runLog = r.stdout + r.stderr;
    const run: Run = await trainedRun("tiny_tiger", { specDir: dir, runsDir: runs, backend: "wasm", log: () => undefined });
    const program = (await import(pathToFileURL(join(out, "infer.ts")).href)) as { restore(run: Run): Promise<Record<string, unknown>> };
    const restored = await program.restore(run);
    model = restored.tiger as GenerativeRecModel;
    synth = restored.synth as PreparedData;
  }, 240_000);
  afterAll(() => {
    model?.dispose();
    for (const d of written) rmSync(d, { recursive: true, force: true });
  });

  it("validates and evaluates with the history excluded, and says so", () => {
    expect(runLog).toMatch(/early stopping on hr@5 \(full ranking, history excluded\)/);
    const root = join(runs, "tiny_tiger");
    const [evaluation] = JSON.parse(readFileSync(join(root, readdirSync(root).sort().at(-1)!, "results.json"), "utf8")) as {
      excludeHistory: boolean;
      protocol: string;
      rows: { metric: string; value: number }[];
    }[];
    expect(evaluation.excludeHistory).toBe(true);
    expect(evaluation.protocol).toMatch(/history excluded/);
    for (const row of evaluation.rows) expect(row.value).toBeGreaterThanOrEqual(0);
  });

  it("decodes `width` distinct unseen items for every test user, where the history-kept search returns seen ones", async () => {
    const examples = synth.split.test;
    const count = examples.length;
    const histories = historiesOf(examples, 0, count, model.historyLength);
    const users = Int32Array.from(examples, (e) => e.user);
    const seen = examples.map((e) => e.history);
    const retrieved = async (exclude?: readonly Int32Array[]) => {
      const scores = await model.scoreItems(histories, count, users, exclude);
      const values = (await scores.data()) as Float32Array;
      scores.dispose();
      const n = model.numItems + 1;
      return Array.from({ length: count }, (_, u) => {
        const items: number[] = [];
        for (let i = 0; i < n; i++) if (values[u * n + i] > -Infinity) items.push(i);
        return items;
      });
    };
    const kept = await retrieved();
    const skipped = await retrieved(seen);
    let keptSeen = 0;
    kept.forEach((items, u) => {
      expect(items).toHaveLength(WIDTH);
      keptSeen += items.filter((i) => seen[u].includes(i)).length;
    });
    // Otherwise the exclusion would have nothing to do.
    expect(keptSeen).toBeGreaterThan(0);
    skipped.forEach((items, u) => {
      const unseen = model.numItems - new Set(seen[u]).size;
      expect(items, `user ${u}`).toHaveLength(Math.min(WIDTH, unseen));
      expect(items.filter((i) => seen[u].includes(i) || i === 0)).toEqual([]);
    });
  });

  it("`recspec recommend` gives K distinct unseen items, at the spec's width and wider", async () => {
    const file = join(dir, "users.txt");
    const ids = ["3", "9", "17", "40", "77"];
    writeFileSync(file, `${ids.join("\n")}\n`);
    for (const k of [WIDTH, 12]) {
      const r = await recspec(dir, "recommend", spec, "--out", out, "--runs", runs, "--backend", "wasm", "--users", file, "--k", String(k));
      expect(r.status, r.stderr).toBe(0);
      const entries = r.stdout
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as UserRecommendation as Recommendation);
      expect(entries.map((e) => e.user)).toEqual(ids);
      for (const e of entries) {
        const seen = new Set(Array.from(userItems(synth.store, synth.store.userIndex.get(e.user)!), (i) => synth.store.itemIds[i]));
        const items = e.items.map((it) => it.item);
        expect(items, `user ${e.user}, k ${k}`).toHaveLength(Math.min(k, synth.numItems - seen.size));
        expect(new Set(items).size).toBe(items.length);
        expect(items.filter((i) => seen.has(i))).toEqual([]);
      }
    }
  });
});
