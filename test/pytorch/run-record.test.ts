// A PyTorch package's run is a recspec run, through the CLI on a tiny SASRec spec: `recspec
// prepare` and `compile --target pytorch`, the TypeScript program's own run beside it, then
// train.py and evaluate.py (Debian's python3 with torch) write run.json (target pytorch, the
// device, the command, the same IR and IR hash as the TypeScript run) and results.json with
// paired differences; `recspec runs` lists the run as complete, `recspec compare` finds only the
// backend differing, and `recspec report RUN` renders it (metrics with intervals, the baseline, the
// differences, learning curves, configuration). train.py --init-from hands the TypeScript run's
// trained weights over: evaluate.py on them gives the TypeScript run's metrics; a training that
// fails is recorded as failed with its error. Skips, saying why, where no python3 imports torch.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import type { CommandIO } from "../../src/cli/io.js";
import { torchPython } from "./torch-python.js";

const SPEC = `spec pt_runs

dataset synth = synthetic {
  users             = 120
  clusters          = 3
  items_per_cluster = 6
  stay              = 0.8
  switch            = 0.1
  length            = 12
  history           = 8
  seed              = 3
}

model seq = sequential(synth) {
  embedding = 8
  encoder   = transformer(layers: 1, heads: 2, d_ff: 16, dropout: 0, causal: true)

  train {
    optimizer  = adam(lr: 5e-3)
    epochs     = 2
    batch      = 32
    early_stop = ndcg@5
    patience   = 1
  }
}

evaluate seq on synth.test {
  metrics   = [recall@5, ndcg@5]
  slices    = [all, popularity(head: 0.2)]
  bootstrap = 200
}
`;

const python = torchPython();

interface Row {
  metric: string;
  slice: string;
  n: number;
  value: number;
  low: number;
  high: number;
  baseline: { value: number; low: number; high: number };
  differences?: { name: string; mean: number; low: number; high: number }[];
}
const results = (run: string) => JSON.parse(readFileSync(join(run, "results.json"), "utf8")) as { model: string; rows: Row[] }[];
const record = (run: string) => JSON.parse(readFileSync(join(run, "run.json"), "utf8"));

describe.skipIf(python === undefined)("PyTorch runs as recspec runs", { timeout: 300_000 }, () => {
  let dir: string;
  let spec: string;
  let runs: string;
  let tsRun: string;
  let program: string | undefined;

  /** `recspec ARGS…` in process, from `dir`. */
  async function recspec(...argv: string[]) {
    let stdout = "";
    let stderr = "";
    const io: CommandIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false, cwd: dir };
    const status = await main(argv, io);
    return { status, stdout, stderr, out: stdout + stderr };
  }

  /** `python3 PKG/SCRIPT ARGS…` from `dir` (so train.py's default run folder is dir/runs/…). */
  function py(script: string, ...args: string[]) {
    const r = spawnSync(python!, [join(dir, "py", script), ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: "1" } });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  }

  const ptRuns = () => readdirSync(join(runs, "pt_runs")).filter((id) => join(runs, "pt_runs", id) !== tsRun);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "pytorch-runs-"));
    spec = join(dir, "pt_runs.recspec");
    runs = join(dir, "runs");
    writeFileSync(spec, SPEC);
    const prepared = await recspec("prepare", spec, "--out", join(dir, "prepared"));
    expect(prepared.status, prepared.out).toBe(0);
    const compiled = await recspec("compile", spec, "--target", "pytorch", "--out", join(dir, "py"));
    expect(compiled.status, compiled.out).toBe(0);
    // The TypeScript program resolves recspec/runtime from a folder inside the repository.
    mkdirSync(resolve(".cache/recspec"), { recursive: true });
    program = mkdtempSync(resolve(".cache/recspec/test-pytorch-runs-"));
    const ts = await recspec("run", spec, "--out", program, "--runs", runs, "--backend", "cpu");
    expect(ts.status, ts.out).toBe(0);
    tsRun = join(runs, "pt_runs", readdirSync(join(runs, "pt_runs"))[0]);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    if (program) rmSync(program, { recursive: true, force: true });
  });

  it("train.py and evaluate.py keep run.json; runs, compare and report take the run", async () => {
    // Six of the eight steps, so its metrics are not the TypeScript run's (which the next test needs).
    const trained = py("train.py", "--data", "prepared", "--max-steps", "6");
    expect(trained.status, trained.out).toBe(0);
    const [id] = ptRuns();
    expect(id).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z$/);
    const run = join(runs, "pt_runs", id);
    const ts = record(tsRun);
    const pt = record(run);
    expect(pt).toMatchObject({
      format: "recspec-run",
      id,
      spec: "pt_runs",
      specFile: spec,
      specText: SPEC,
      irHash: ts.irHash,
      overrides: [],
      recspec: ts.recspec,
      backend: "pytorch",
      matmul: "cpu",
      seeds: { seq: 0 },
      stage: "train",
      status: "complete",
      target: "pytorch",
      device: "cpu",
      processes: 1,
    });
    expect(pt.command).toMatch(/^python3\S* \S+\/py\/train\.py --data prepared --max-steps 6$/);
    expect(pt.attempts).toEqual([expect.objectContaining({ stage: "train", resume: false, backend: "pytorch", status: "complete" })]);
    expect(Date.parse(pt.endedAt)).toBeGreaterThanOrEqual(Date.parse(pt.startedAt));
    expect(readFileSync(join(run, "ir.json"), "utf8")).toBe(readFileSync(join(tsRun, "ir.json"), "utf8"));
    expect(readdirSync(run).filter((f) => f.endsWith(".tmp"))).toEqual([]);

    const before = await recspec("runs", spec, "--runs", runs);
    expect(before.stdout).toMatch(new RegExp(`^${id}\\s+complete\\s+train \\(pytorch\\)\\s+–\\s`, "m"));

    const evaluated = py("evaluate.py", "--data", "prepared", "--run", run);
    expect(evaluated.status, evaluated.out).toBe(0);
    expect(record(run).attempts.map((a: { stage: string; status: string }) => `${a.stage} ${a.status}`)).toEqual(["train complete", "eval complete"]);
    expect(record(run).status).toBe("complete");
    const rows = results(run)[0].rows;
    for (const row of rows) {
      // The paired difference's mean is the difference of the means; its interval holds it.
      const [d] = row.differences!;
      expect(d.name).toBe("popularity");
      expect(d.mean).toBeCloseTo(row.value - row.baseline.value, 12);
      expect(d.low).toBeLessThanOrEqual(d.mean);
      expect(d.high).toBeGreaterThanOrEqual(d.mean);
    }
    const all = rows.find((r) => r.metric === "recall@5" && r.slice === "all")!;
    const tsAll = results(tsRun)[0].rows.find((r) => r.metric === "recall@5" && r.slice === "all")!;
    expect(all.value).not.toBe(tsAll.value);

    const listed = await recspec("runs", spec, "--runs", runs);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${id}\\s+complete\\s+eval \\(pytorch\\)\\s+recall@5=${all.value.toFixed(4)} ndcg@5=`, "m"));
    expect(listed.stdout).toMatch(new RegExp(`^${tsRun.split("/").pop()}\\s+complete\\s+run\\s+recall@5=${tsAll.value.toFixed(4)}`, "m"));

    const compared = await recspec("compare", tsRun, run);
    expect(compared.status, compared.out).toBe(0);
    expect(compared.stdout).toMatch(new RegExp(`seq\\s+recall@5\\s+all\\s+${tsAll.value.toFixed(4)}\\s+${all.value.toFixed(4)}`));
    // The same IR, spec file and version: only the backend differs.
    expect(compared.stdout.split("configuration (A → B):\n")[1].trim().split("\n")).toEqual([expect.stringMatching(/^backend: ".*" → "pytorch \(cpu\)"$/)]);

    const reported = await recspec("report", `pt_runs/${id}`, "--runs", runs);
    expect(reported.status, reported.out).toBe(0);
    expect(reported.stdout.trim()).toBe(join(run, "report.html"));
    const html = readFileSync(join(run, "report.html"), "utf8");
    expect(html).toContain("<dd>pytorch (cpu, torch ");
    expect(html).toContain("<dd>6 steps over 2 epochs</dd>");
    expect(html).toContain("full catalogue (18 items), history excluded, leave_last_out split");
    const cell = (x: number) => x.toFixed(4);
    expect(html).toContain(`${cell(all.value)} [${cell(all.low)}, ${cell(all.high)}]`);
    expect(html).toContain(`${cell(all.baseline.value)} [${cell(all.baseline.low)}, ${cell(all.baseline.high)}]`);
    expect(html).toMatch(/<th[^>]*>difference<\/th>/);
    for (const chart of ["chart-loss", "chart-validation", "chart-test"]) expect(html).toContain(`id="${chart}"`);
    expect(html).toContain("train.optimizer");
    expect(html).toContain("adam(lr: 0.005");

    const missing = await recspec("report", "pt_runs/no-such-run", "--runs", runs);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("no run `pt_runs/no-such-run`");
  });

  it("train.py --init-from RUN/MODEL evaluates a TypeScript-trained model to the TypeScript run's metrics", async () => {
    const handed = join(runs, "pt_runs", "handed");
    const trained = py("train.py", "--data", "prepared", "--run", handed, "--init-from", join(tsRun, "seq"), "--max-steps", "0");
    expect(trained.status, trained.out).toBe(0);
    expect(trained.out).toContain(`seq: weights from ${join(tsRun, "seq", "model")}`);
    const evaluated = py("evaluate.py", "--data", "prepared", "--run", handed);
    expect(evaluated.status, evaluated.out).toBe(0);
    const ts = results(tsRun)[0].rows;
    const pt = results(handed)[0].rows;
    expect(pt.map((r) => `${r.metric} ${r.slice} ${r.n}`)).toEqual(ts.map((r) => `${r.metric} ${r.slice} ${r.n}`));
    for (const [i, row] of pt.entries()) {
      expect(Math.abs(row.value - ts[i].value), `${row.metric} ${row.slice}`).toBeLessThan(1e-9);
      expect(Math.abs(row.baseline.value - ts[i].baseline.value)).toBeLessThan(1e-12);
    }

    // A torn weights file fails the training, and the record says so with the error.
    const torn = join(dir, "torn", "seq");
    cpSync(join(tsRun, "seq", "model"), join(torn, "model"), { recursive: true });
    truncateSync(join(torn, "model", "weights.bin"), 100);
    const failed = py("train.py", "--data", "prepared", "--run", join(runs, "pt_runs", "torn"), "--init-from", torn);
    expect(failed.status).toBe(1);
    expect(record(join(runs, "pt_runs", "torn"))).toMatchObject({
      status: "failed",
      attempts: [{ stage: "train", status: "failed", error: { message: expect.stringContaining("weights.bin ends inside") } }],
    });
    const listed = await recspec("runs", spec, "--runs", runs);
    expect(listed.stdout).toMatch(/^torn\s+failed\s+train \(pytorch\)/m);

    const nowhere = py("train.py", "--data", "prepared", "--run", join(dir, "nowhere"), "--init-from", join(dir, "prepared"));
    expect(nowhere.status).toBe(2);
    expect(nowhere.out).toContain(`--init-from ${join(dir, "prepared")}: no trained weights of seq there`);
  });
});
