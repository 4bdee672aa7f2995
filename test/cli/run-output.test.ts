// What `recspec run|exec` print and where, through the CLI in process on the tiny synthetic specs:
// result tables on stdout and progress on stderr (so `recspec run x > results.txt` keeps only
// results); `--format json` prints exactly one JSON document; `run` runs the main job and an
// experiment only when named, after a plan of its trainings with a time estimate from the main job.
// Programs go under the checkout's .cache/ (where "recspec/runtime" resolves for vitest too).
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import type { CommandIO } from "../../src/cli/io.js";
import type { RunDocument } from "../../src/cli/run-document.js";

const PROGRAMS = resolve(".cache/recspec/test-run-output");
const written: string[] = [];
afterAll(() => {
  for (const dir of written) rmSync(dir, { recursive: true, force: true });
});

function folder(spec: string): string {
  const dir = mkdtempSync(join(tmpdir(), "recspec-run-output-"));
  copyFileSync(resolve("test/fixtures/specs", spec), join(dir, spec));
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

describe("recspec run output", () => {
  it("puts the result table on stdout and every log line on stderr", async () => {
    const dir = folder("tiny.recspec");
    const r = await recspec(
      dir,
      "run",
      join(dir, "tiny.recspec"),
      "--out",
      programDir(),
      "--runs",
      join(dir, "runs"),
      "--backend",
      "wasm",
      "--set",
      "seq.train.epochs=1",
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^seq on synth\.test: 300 users/m);
    expect(r.stdout).toMatch(/^hr@10 +all +300 /m);
    expect(r.stdout).not.toMatch(/backend:|report:|trained seq|epoch/);
    expect(r.stderr).toMatch(/^backend: wasm/m);
    expect(r.stderr).toMatch(/^report: /m);
    expect(r.stderr).not.toMatch(/^hr@10/m);
  });

  it("--format json prints one document: the results as results.json has them, and no diagnostics", async () => {
    const dir = folder("tiny.recspec");
    const r = await recspec(
      dir,
      "run",
      join(dir, "tiny.recspec"),
      "--format",
      "json",
      "--out",
      programDir(),
      "--runs",
      join(dir, "runs"),
      "--backend",
      "wasm",
      "--set",
      "seq.train.epochs=1",
    );
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as RunDocument;
    expect(doc).toMatchObject({ spec: "tiny", stage: "run", ok: true, experiments: [], diagnostics: [] });
    expect(doc.run).toMatch(/runs[/\\]tiny[/\\]/);
    expect(doc.results).toEqual(JSON.parse(readFileSync(join(doc.run!, "results.json"), "utf8")));
    const rows = (doc.results[0] as { rows: { metric: string; slice: string }[] }).rows;
    expect(rows.map((row) => `${row.metric} ${row.slice}`)).toContain("hr@10 all");
    // The tables still reach a person, on stderr.
    expect(r.stderr).toMatch(/^hr@10 +all +300 /m);
  });

  it("--format json with a spec error: one document with the diagnostic and nothing run", async () => {
    const dir = folder("tiny.recspec");
    const r = await recspec(
      dir,
      "run",
      join(dir, "tiny.recspec"),
      "--format",
      "json",
      "--out",
      programDir(),
      "--runs",
      join(dir, "runs"),
      "--set",
      "seq.train.epochs=0",
    );
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout) as RunDocument;
    expect(doc).toMatchObject({ ok: false, run: null, results: [] });
    expect(doc.diagnostics.map((d) => d.code)).toEqual(["RS4002"]);
    expect(existsSync(join(dir, "runs"))).toBe(false);
  });
});

describe("experiments run only when named", () => {
  it("`run` runs the main job alone; `--experiment NAME` prints the plan, then runs every cell × seed", async () => {
    const dir = folder("tiny_sweep.recspec");
    const spec = join(dir, "tiny_sweep.recspec");
    const runs = join(dir, "runs");
    const out = programDir();

    const plain = await recspec(dir, "run", spec, "--out", out, "--runs", runs, "--backend", "wasm");
    expect(plain.status, plain.stderr).toBe(0);
    expect(plain.stderr).not.toMatch(/experiment|cell 1\//);
    const [first] = readdirSync(join(runs, "tiny_sweep"));
    expect(existsSync(join(runs, "tiny_sweep", first, "experiments"))).toBe(false);

    const swept = await recspec(dir, "run", spec, "--experiment", "widths", "--out", out, "--runs", runs, "--backend", "wasm");
    expect(swept.status, swept.stderr).toBe(0);
    const plan = swept.stderr.indexOf("plan: 8 trainings");
    expect(plan).toBeGreaterThanOrEqual(0);
    expect(swept.stderr).toContain("  widths: 4 configurations × 2 seeds = 8 trainings\n");
    // Timed from the main job just run: its steps/s, times the 8 trainings.
    expect(swept.stderr).toMatch(/training alone about \d+ (s|min) at the main job's speed \(it trained in \d+ s: .*tiny_sweep/);
    expect(plan).toBeLessThan(swept.stderr.indexOf("cell 1/4"));
    expect(swept.stdout).toMatch(/^experiment widths$/m);
    expect(swept.stdout).not.toMatch(/cell 1\/4/);
  }, 240_000);
});

describe("recspec exec", () => {
  it("takes --experiment like run, from the program's ir.json, and reports it in the JSON document", async () => {
    const dir = folder("tiny_sweep.recspec");
    const out = programDir();
    const compiled = await recspec(dir, "compile", join(dir, "tiny_sweep.recspec"), "--out", out);
    expect(compiled.status, compiled.stderr).toBe(0);

    const unknown = await recspec(dir, "exec", out, "--experiment", "nope");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/the program's spec has no experiment `nope`/);

    const r = await recspec(dir, "exec", out, "--experiments", "--format", "json", "--runs", join(dir, "runs"), "--backend", "wasm");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^plan: 8 trainings/m);
    expect(r.stderr).toMatch(/no time estimate: run the main job once/);
    const doc = JSON.parse(r.stdout) as RunDocument;
    expect(doc).toMatchObject({ spec: "tiny_sweep", ok: true, results: [] });
    expect(doc.experiments.map((e) => e.name)).toEqual(["widths"]);
    expect(doc.experiments[0].results).not.toBeNull();
    expect(existsSync(join(doc.experiments[0].dir, "report.html"))).toBe(true);
  }, 240_000);
});
