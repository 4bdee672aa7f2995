// The evaluation protocol through the CLI, on the tiny synthetic spec: seen items are left out by
// default and the console table, results.json and report.html say so (with the candidates and the
// split); `--set MODEL.evaluate.…` changes it; the report shows each block's resolved settings and
// counts validation epochs as the console does; an experiment without `report` tabulates the
// evaluated metrics, with the popularity baseline and intervals inside the metric's range.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import type { CommandIO } from "../../src/cli/io.js";

const PROGRAMS = resolve(".cache/recspec/test-evaluation-protocol");
const written: string[] = [];
afterAll(() => {
  for (const dir of written) rmSync(dir, { recursive: true, force: true });
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), "recspec-protocol-"));
  copyFileSync(resolve("test/fixtures/specs/tiny.recspec"), join(dir, "tiny.recspec"));
  written.push(dir);
  return dir;
}

function programDir(): string {
  mkdirSync(PROGRAMS, { recursive: true });
  const out = mkdtempSync(join(PROGRAMS, "program-"));
  written.push(out);
  return out;
}

async function recspec(dir: string, ...args: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CommandIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false, cwd: dir };
  const status = await main(args, io);
  return { status, stdout, stderr };
}

const run = (dir: string, ...more: string[]) =>
  recspec(dir, "run", join(dir, "tiny.recspec"), "--out", programDir(), "--runs", join(dir, "runs"), "--backend", "wasm", ...more);

function runFolder(dir: string): string {
  const root = join(dir, "runs", "tiny");
  return join(root, readdirSync(root).sort().at(-1)!);
}

/** The vega-lite specs report.html embeds for its charts. */
function chartSpecs(html: string): { title?: string; data?: { values: Record<string, unknown>[] } }[] {
  const json = /<script id="recspec-charts" type="application\/json">([\s\S]*?)<\/script>/.exec(html)![1];
  return Object.values(JSON.parse(json.replace(/\\u003c/g, "<")) as Record<string, { title?: string; data?: { values: Record<string, unknown>[] } }>);
}

describe("evaluation protocol", () => {
  it("excludes seen items by default and states the protocol in the console, results.json and report.html", async () => {
    const dir = folder();
    const r = await run(dir, "--set", "seq.train.epochs=2", "--set", "seq.train.early_stop=ndcg@10", "--set", "seq.train.patience=2");
    expect(r.status, r.stderr).toBe(0);
    // 32 items: 4 clusters of 8.
    expect(r.stdout).toMatch(/^seq on synth\.test: 300 users\nprotocol: full catalogue \(32 items\), history excluded, leave_last_out split$/m);
    const results = JSON.parse(readFileSync(join(runFolder(dir), "results.json"), "utf8")) as {
      excludeHistory: boolean;
      splitType: string;
      protocol: string;
    }[];
    expect(results[0]).toMatchObject({ excludeHistory: true, splitType: "leave_last_out" });
    const html = readFileSync(join(runFolder(dir), "report.html"), "utf8");
    expect(html).toContain("<td>full catalogue (32 items), history excluded, leave_last_out split</td>");
    // The configuration: each block's resolved settings, defaults included.
    expect(html).toMatch(/<summary><code>model seq = sequential<\/code><\/summary>/);
    expect(html).toMatch(/<td><code>train\.epochs<\/code><\/td><td><code>2<\/code><\/td>/);
    expect(html).toMatch(/<td><code>train\.optimizer<\/code><\/td><td><code>adam\(lr: 0\.005, /);
    expect(html).toMatch(/<td><code>exclude_history<\/code><\/td><td><code>true<\/code><\/td>/);
    // The validation chart's epochs are the console's: "epoch 2/2 … val_ndcg@10 0.1234".
    const logged = [...r.stderr.matchAll(/^epoch (\d+)\/2 .*val_ndcg@10 (\d\.\d{4})/gm)].map((m) => [Number(m[1]), m[2]]);
    expect(logged.map((l) => l[0])).toEqual([1, 2]);
    const validation = chartSpecs(html).find((c) => c.title === "Validation")!;
    const charted = validation.data!.values.map((v) => [v.epoch, (v.value as number).toFixed(4)]);
    expect(charted).toEqual(logged);
  });

  it("`--set MODEL.evaluate.exclude_history=false` keeps seen items, and says so", async () => {
    const dir = folder();
    const r = await run(dir, "--set", "seq.train.epochs=1", "--set", "seq.evaluate.exclude_history=false");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^protocol: full catalogue \(32 items\), history kept, leave_last_out split$/m);
    const results = JSON.parse(readFileSync(join(runFolder(dir), "results.json"), "utf8")) as { excludeHistory: boolean }[];
    expect(results[0].excludeHistory).toBe(false);
  });

  it("a bad `--set` on an evaluate is a diagnostic, exit 1, before any training", async () => {
    const dir = folder();
    const r = await recspec(dir, "check", join(dir, "tiny.recspec"), "--set", "seq.evaluate.bootstrap=-1", "--set", "synth.evaluate.bootstrap=5");
    expect(r.status).toBe(1);
    expect(r.stderr + r.stdout).toMatch(/`bootstrap` must be ≥ 0, got -1/);
    expect(r.stderr + r.stdout).toMatch(/`--set synth\.evaluate\.bootstrap`: no model or distill block named `synth` is evaluated/);
    expect(r.stderr + r.stdout).not.toMatch(/at .*\.ts:\d+/);
  });

  it("an experiment without `report` tabulates the evaluated metrics beside the baseline, intervals within [0, 1]", async () => {
    const dir = folder();
    const spec = readFileSync(join(dir, "tiny.recspec"), "utf8");
    writeFileSync(join(dir, "tiny.recspec"), `${spec}\nexperiment widths {\n  vary seq.embedding in [8, 16]\n  seeds = 2\n}\n`);
    const r = await run(dir, "--experiment", "widths", "--set", "seq.train.epochs=1");
    expect(r.status, r.stderr).toBe(0);
    const table = r.stdout.slice(r.stdout.indexOf("experiment widths"));
    const rows = table.split("\n").filter((l) => /^(8|16) /.test(l));
    // Two configurations × the spec's two metrics (hr@10, ndcg@10), on all users.
    expect(rows.map((l) => l.split(/\s+/).slice(0, 3).join(" "))).toEqual(["8 hr@10 all", "8 ndcg@10 all", "16 hr@10 all", "16 ndcg@10 all"]);
    expect(table).toMatch(/mean \[95% interval\] +baseline/);
    for (const line of rows) {
      const numbers = [...line.matchAll(/-?\d+\.\d{4}/g)].map((m) => Number(m[0]));
      expect(numbers).toHaveLength(6); // model mean [low, high], baseline mean [low, high]
      for (const x of numbers) expect(x >= 0 && x <= 1, line).toBe(true);
    }
    const summary = JSON.parse(readFileSync(join(runFolder(dir), "experiments", "widths", "results.json"), "utf8")) as {
      summary: { baseline?: { mean: number } }[];
    };
    expect(summary.summary.every((s) => s.baseline !== undefined)).toBe(true);
  });
});
