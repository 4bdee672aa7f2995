// `recspec run SPEC --experiment NAME` as a user runs it: separate processes, a spec in a folder
// outside the repository, tiny synthetic data. Every cell × seed trains and the summary and the
// sweep report are written; several processes share an experiment through claims on its cells;
// a distilled student's teacher is trained once per seed and reused; --resume keeps finished
// cells. The experiment shared by several processes starts from the plain experiment test's
// finished one: each process costs seconds of start-up. (Split from run.test.ts so vitest's two
// workers can run the two files at once.)
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const BIN = resolve("bin/recspec.js");

function recspec(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Runs `make` on the first call and gives its value to every later one. */
function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

/** `recspec run tiny_sweep.recspec --experiment widths` in a fresh folder: the folder and the command's result. */
const sweepRun = once(() => {
  const cwd = mkdtempSync(join(tmpdir(), "recspec-sweep-"));
  copyFileSync(resolve("test/fixtures/specs/tiny_sweep.recspec"), join(cwd, "tiny_sweep.recspec"));
  return { cwd, ...recspec(cwd, "run", "tiny_sweep.recspec", "--experiment", "widths") };
});

describe("recspec run with an experiment", () => {
  it("trains every cell × seed, then writes the summary table and the sweep report", () => {
    const { cwd, ...r } = sweepRun();
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
    // The finished experiment of the test above (runs remember their spec file's path, so not a
    // copy). This test leaves it finished again, with the same summary.
    const { cwd, ...first } = sweepRun();
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
