// Run-time failures the user can act on, through the CLI in process: each is a diagnostic with an
// RS6xxx code, the run context and a help line, exits 1 and shows no stack. Uses the tiny spec
// (test/fixtures/specs) in a temporary folder, which also keeps the runs. The generated program goes
// under the checkout's .cache/, where "recspec/runtime" resolves (to this package) for vitest too.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import type { CommandIO } from "../../src/cli/io.js";

const SPEC = resolve("test/fixtures/specs/tiny.recspec");
const PROGRAMS = resolve(".cache/recspec/test-run-errors");
const written: string[] = [];
afterAll(() => {
  for (const dir of written) rmSync(dir, { recursive: true, force: true });
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), "recspec-run-errors-"));
  copyFileSync(SPEC, join(dir, "tiny.recspec"));
  return dir;
}

/** Runs `recspec COMMAND SPEC ARGS…` with the program and runs inside `dir`. */
async function recspec(dir: string, command: string, spec: string, ...args: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CommandIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false, cwd: dir };
  mkdirSync(PROGRAMS, { recursive: true });
  const out = mkdtempSync(join(PROGRAMS, "program-"));
  written.push(out, dir);
  const status = await main([command, join(dir, spec), "--out", out, "--runs", join(dir, "runs"), ...args], io);
  return { status, stdout, stderr };
}

/** No stack frames and no internal-error banner: the user sees a diagnostic, not a crash. */
function expectNoStack(text: string) {
  expect(text).not.toMatch(/internal error/);
  expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

describe("run-time diagnostics from the CLI", () => {
  it("eval without a run: RS6005 naming the runs folder, exit 1", async () => {
    const dir = folder();
    const r = await recspec(dir, "eval", "tiny.recspec", "--backend", "cpu");
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^error\[RS6005\]: nothing to evaluate: no earlier run in .*runs[/\\]tiny$/m);
    expect(r.stderr).toMatch(/= spec: .*tiny\.recspec/);
    expect(r.stderr).toMatch(/= help: train first/);
    expectNoStack(r.stderr);
  });

  it("train --resume without a run: RS6004, and no run folder is created", async () => {
    const dir = folder();
    const r = await recspec(dir, "train", "tiny.recspec", "--resume", "--backend", "cpu");
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^error\[RS6004\]: nothing to resume/m);
    expect(existsSync(join(dir, "runs", "tiny"))).toBe(false);
  });

  it("--format json: the same diagnostic as one LSP-shaped object in the one document on stdout", async () => {
    const dir = folder();
    const r = await recspec(dir, "eval", "tiny.recspec", "--backend", "cpu", "--format", "json");
    expect(r.status).toBe(1);
    const document = JSON.parse(r.stdout) as {
      ok: boolean;
      diagnostics: { code: string; severity: number; source: string; uri: string; message: string; data: { context: { runDir: string } } }[];
    };
    expect(document.ok).toBe(false);
    const [d] = document.diagnostics;
    expect(d).toMatchObject({ code: "RS6005", severity: 1, source: "recspec" });
    expect(d.uri).toMatch(/tiny\.recspec$/);
    expect(d.message).toMatch(/nothing to evaluate[^]*\nhelp: train first/);
    expect(d.data.context.runDir).toBe(join(dir, "runs", "tiny"));
  });

  it("an unknown --backend: a usage error listing every backend name, before any run folder exists", async () => {
    const dir = folder();
    const r = await recspec(dir, "train", "tiny.recspec", "--backend", "foo");
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^recspec train: unknown backend `foo`; --backend takes one of webgpu, node-gpu, node, tensorflow, wasm, cpu$/m);
    expectNoStack(r.stderr);
    expect(existsSync(join(dir, "runs", "tiny"))).toBe(false);
  });

  it("a bad data row: RS6001 with file:line:col", async () => {
    const dir = folder();
    writeFileSync(join(dir, "events.csv"), "user,item,timestamp\nu1,i1,1\nu1,i2,2\nu1,i3,oops\n");
    writeFileSync(join(dir, "csv.recspec"), 'spec csv\ndataset events = interactions("events.csv")\nmodel seq = sequential(events)\n');
    const r = await recspec(dir, "run", "csv.recspec", "--backend", "cpu");
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^error\[RS6001\]: timestamp in 'timestamp' must be a number, found 'oops'$/m);
    // Paths under the working folder are shown relative to it.
    expect(r.stderr).toMatch(/^ {2}--> events\.csv:4:7$/m);
    expectNoStack(r.stderr);
  });

  it("a data file that is not there: RS6002", async () => {
    const dir = folder();
    writeFileSync(join(dir, "gone.recspec"), 'spec gone\ndataset events = interactions("missing.csv")\nmodel seq = sequential(events)\n');
    const r = await recspec(dir, "run", "gone.recspec", "--backend", "cpu");
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^error\[RS6002\]: not found; looked in /m);
    expect(r.stderr).toMatch(/^ {2}--> missing\.csv$/m);
  });

  it("a diverging loss: RS6003 at its block and step, with help naming the spec's `clip`", async () => {
    const dir = folder();
    const r = await recspec(dir, "train", "tiny.recspec", "--backend", "cpu", "--set", "seq.train.optimizer.lr=1e30");
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^error\[RS6003\]: training stopped at step \d+ \(epoch 1\): the loss became non-finite/m);
    expect(r.stderr).toMatch(/= at: block `seq`, step \d+, epoch 1$/m);
    expect(r.stderr).toMatch(/= run: .*runs[/\\]tiny[/\\][^/\\]+[/\\]seq$/m);
    expect(r.stderr).toMatch(/= help: .*`lr`.*`clip` in the train block/);
    expect(r.stderr).not.toMatch(/clipNorm/);
    expectNoStack(r.stderr);
    expect(readdirSync(join(dir, "runs", "tiny"))).toHaveLength(1);
  });
});
