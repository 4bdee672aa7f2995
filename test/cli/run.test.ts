// `recspec run | eval | train --resume` as a user runs them: separate processes, a spec in a folder
// outside the repository, a tiny synthetic data set. Includes a kill -9 in the middle of training.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const BIN = resolve("bin/recspec.js");
const SPEC = resolve("test/fixtures/specs/tiny.recspec");

function userFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "recspec-run-"));
  copyFileSync(SPEC, join(dir, "tiny.recspec"));
  return dir;
}

function recspec(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function runDirs(cwd: string): string[] {
  const root = join(cwd, "runs", "tiny");
  return existsSync(root)
    ? readdirSync(root)
        .sort()
        .map((d) => join(root, d))
    : [];
}

type Results = { rows: { metric: string; slice: string; value: number; baseline: { value: number } | null }[] }[];
const results = (dir: string) => JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as Results;

describe("recspec run", () => {
  it("compiles, trains, evaluates on the test split beside popularity, and writes the report", () => {
    const cwd = userFolder();
    const r = recspec(cwd, "run", "tiny.recspec", "--backend", "wasm");
    expect(r.out).toMatch(/backend: wasm/);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/hr@10\s+all\s+300/);
    const [dir] = runDirs(cwd);
    expect(existsSync(join(dir, "report.html"))).toBe(true);
    const all = results(dir)[0].rows.find((row) => row.metric === "hr@10" && row.slice === "all")!;
    // Sticky Markov sequences: the model must beat popularity on held-out test targets.
    expect(all.value).toBeGreaterThan(all.baseline!.value);

    // `eval` restores the trained weights of that run and reproduces its numbers exactly.
    const trained = results(dir);
    const e = recspec(cwd, "eval", "tiny.recspec", "--backend", "wasm");
    expect(e.status, e.out).toBe(0);
    expect(e.out).toMatch(/restored seq/);
    expect(results(dir)).toEqual(trained);
    expect(existsSync(join(cwd, "generated", "tiny", "package.json"))).toBe(true);
  });

  it("stops on a spec error before running anything, and exits 1", () => {
    const cwd = userFolder();
    const r = recspec(cwd, "run", "tiny.recspec", "--set", "synth.stay=0.95", "--set", "synth.switch=0.1");
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/error\[RS4009\]/);
    expect(runDirs(cwd)).toEqual([]);
  });

  it("reports a bad data row with its file and line, and exits 1", () => {
    const cwd = userFolder();
    writeFileSync(join(cwd, "events.csv"), "user,item,timestamp\nu1,i1,1\nu1,i2,2\nu1,i3,oops\n");
    writeFileSync(join(cwd, "csv.recspec"), 'spec csv\ndataset events = interactions("events.csv")\nmodel seq = sequential(events)\n');
    const r = recspec(cwd, "run", "csv.recspec");
    expect(r.status, r.out).toBe(1);
    expect(r.out).toMatch(/error\[RS6001\][^]*--> events\.csv:4:/);
  });

  it("continues from the last complete checkpoint after kill -9, ending where an uninterrupted run ends", async () => {
    const slow = ["--set", "seq.train.epochs=20", "--set", "seq.train.checkpoint_every=10", "--backend", "wasm"];
    const reference = userFolder();
    const full = recspec(reference, "train", "tiny.recspec", ...slow);
    expect(full.status, full.out).toBe(0);

    const cwd = userFolder();
    const child = spawn(process.execPath, [BIN, "train", "tiny.recspec", ...slow], { cwd, stdio: "ignore" });
    // Wait for a complete checkpoint beyond the first, then kill without warning.
    const deadline = Date.now() + 120_000;
    const complete = () =>
      runDirs(cwd)
        .flatMap((d) => (existsSync(join(d, "seq")) ? readdirSync(join(d, "seq")) : []))
        .filter((f) => /^ckpt-\d+$/.test(f));
    while (complete().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    expect(complete().length).toBeGreaterThanOrEqual(1);
    expect(existsSync(join(runDirs(cwd)[0], "seq", "model"))).toBe(false);

    const resumed = recspec(cwd, "train", "tiny.recspec", "--resume", ...slow);
    expect(resumed.status, resumed.out).toBe(0);
    expect(resumed.out).toMatch(/seq: resumed from .*ckpt-\d+/);
    // Same seed, same backend: the resumed run's final weights are those of the uninterrupted run.
    const weights = (cwd: string) => readFileSync(join(runDirs(cwd)[0], "seq", "model", "weights.bin"));
    expect(weights(cwd).equals(weights(reference))).toBe(true);
  }, 240_000);
});

describe("recspec run with an experiment", () => {
  it("trains every cell × seed, then writes the summary table and the sweep report", () => {
    const cwd = mkdtempSync(join(tmpdir(), "recspec-sweep-"));
    copyFileSync(resolve("test/fixtures/specs/tiny_sweep.recspec"), join(cwd, "tiny_sweep.recspec"));
    const r = recspec(cwd, "run", "tiny_sweep.recspec", "--experiment", "widths");
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/experiment widths: 4 configurations × 2 seeds/);
    const [dir] = readdirSync(join(cwd, "runs", "tiny_sweep")).map((d) => join(cwd, "runs", "tiny_sweep", d));
    const saved = JSON.parse(readFileSync(join(dir, "experiments", "widths", "results.json"), "utf8"));
    expect(saved.cells).toHaveLength(8);
    // 4 cells × (hr@10 on all, head, tail + ndcg@5 on all).
    expect(saved.summary).toHaveLength(16);
    expect(existsSync(join(dir, "experiments", "widths", "report.html"))).toBe(true);
    // Different seeds train differently: the two seeds of a cell do not agree on everything.
    const cell1 = saved.cells.filter((c: { cell: { sets: string[] } }) => c.cell.sets.join() === saved.cells[0].cell.sets.join());
    expect(JSON.stringify(cell1[0].results[0].rows)).not.toBe(JSON.stringify(cell1[1].results[0].rows));
  });
});

describe("recspec run with an experiment shared by several processes", () => {
  it("skips a cell a live process holds, writes no summary until it is done, and takes over a stale claim", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "recspec-claims-"));
    copyFileSync(resolve("test/fixtures/specs/tiny_sweep.recspec"), join(cwd, "tiny_sweep.recspec"));
    const first = recspec(cwd, "run", "tiny_sweep.recspec", "--experiment", "widths");
    expect(first.status, first.out).toBe(0);
    const [dir] = readdirSync(join(cwd, "runs", "tiny_sweep")).map((d) => join(cwd, "runs", "tiny_sweep", d));
    const summary = join(dir, "experiments", "widths", "results.json");
    const before = JSON.parse(readFileSync(summary, "utf8"));
    // Cell 1, seed 0 is unfinished and held by a live process.
    const cell = join(dir, "experiments", "widths", "cell-001", "seed-0");
    rmSync(join(cell, "cell-result.json"));
    rmSync(summary);
    const holder = spawn("sleep", ["60"]);
    try {
      writeFileSync(join(cell, ".running"), String(holder.pid));
      const shared = recspec(cwd, "run", "tiny_sweep.recspec", "--experiment", "widths", "--resume");
      expect(shared.status, shared.out).toBe(0);
      expect(shared.out).toContain(`being run by process ${holder.pid}; skipped`);
      expect(shared.out.match(/done in the interrupted run; kept/g)).toHaveLength(7);
      expect(shared.out).toMatch(/1 of 8 runs are in other processes/);
      expect(existsSync(summary)).toBe(false);
    } finally {
      const exited = new Promise((done) => holder.once("exit", done));
      holder.kill();
      await exited;
    }
    // The holder is gone: its claim is stale, the cell runs here and the summary is written.
    const last = recspec(cwd, "run", "tiny_sweep.recspec", "--experiment", "widths", "--resume");
    expect(last.status, last.out).toBe(0);
    expect(existsSync(join(cell, ".running"))).toBe(false);
    expect(JSON.parse(readFileSync(summary, "utf8")).summary).toEqual(before.summary);
  }, 240_000);
});

describe("recspec run with an experiment over a distilled student", () => {
  it("trains the teacher once per seed, reuses it in the other cells, and --resume keeps finished cells", () => {
    const cwd = mkdtempSync(join(tmpdir(), "recspec-shared-"));
    copyFileSync(resolve("test/fixtures/specs/tiny_distill.recspec"), join(cwd, "tiny_distill.recspec"));
    const r = recspec(cwd, "run", "tiny_distill.recspec", "--experiment", "transforms");
    expect(r.status, r.out).toBe(0);
    const [dir] = readdirSync(join(cwd, "runs", "tiny_distill")).map((d) => join(cwd, "runs", "tiny_distill", d));
    const shared = readdirSync(join(dir, "experiments", ".shared"));
    // 2 transforms × 2 seeds: two teachers (one per seed), four students.
    expect(shared.filter((d) => d.startsWith("teacher-"))).toHaveLength(2);
    expect(shared.filter((d) => d.startsWith("student-"))).toHaveLength(4);
    // The second cell trained no teacher of its own: it has no teacher folder.
    const cell = (i: number, s: number) => join(dir, "experiments", "transforms", `cell-00${i}`, `seed-${s}`);
    expect(existsSync(join(cell(1, 0), "teacher", "model"))).toBe(true);
    expect(existsSync(join(cell(2, 0), "teacher"))).toBe(false);
    const first = readFileSync(join(dir, "experiments", "transforms", "results.json"), "utf8");
    // The distillation analyses of every cell and seed are summarised and plotted.
    expect(r.out).toMatch(/transforms: distillation analysis[\s\S]*r\(teacher confidence, gradient ratio\)/);
    const html = readFileSync(join(dir, "experiments", "transforms", "report.html"), "utf8");
    expect(html).toContain("Distillation analysis");
    expect(html).toContain("Geometry effect");

    const resumed = recspec(cwd, "run", "tiny_distill.recspec", "--experiment", "transforms", "--resume");
    expect(resumed.status, resumed.out).toBe(0);
    expect(resumed.out.match(/done in the interrupted run; kept/g)).toHaveLength(4);
    const again = JSON.parse(readFileSync(join(dir, "experiments", "transforms", "results.json"), "utf8"));
    expect(again.cells).toEqual(JSON.parse(first).cells);
  }, 240_000);
});
