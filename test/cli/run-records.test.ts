// Run records and resume safety through the CLI in process (issue #16/#17): every run folder has a
// manifest (run.json) and its IR; only recognisable runs count, newest by time; a resume whose
// configuration changed is refused (or forced); a run with nothing to resume from says so and
// leaves its metrics alone; a locked run is refused; a failed fresh run leaves no folder; runs of
// another spec file with the same name are never taken; `recspec runs` and `recspec compare`.
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import type { CommandIO } from "../../src/cli/io.js";
import { VERSION } from "../../src/version.js";

const SPEC = resolve("test/fixtures/specs/tiny.recspec");
const PROGRAMS = resolve(".cache/recspec/test-run-records");
const written: string[] = [];
afterAll(() => {
  for (const dir of written) rmSync(dir, { recursive: true, force: true });
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), "recspec-records-"));
  copyFileSync(SPEC, join(dir, "tiny.recspec"));
  written.push(dir);
  return dir;
}

/** `recspec COMMAND ARGS…` in process; `spec` commands get a fresh program folder and the runs in `dir`. */
async function recspec(dir: string, argv: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CommandIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false, cwd: dir };
  const status = await main(argv, io);
  return { status, stdout, stderr, out: stdout + stderr };
}

async function train(dir: string, ...args: string[]) {
  mkdirSync(PROGRAMS, { recursive: true });
  const out = mkdtempSync(join(PROGRAMS, "program-"));
  written.push(out);
  return recspec(dir, ["train", join(dir, args[0] ?? "tiny.recspec"), "--out", out, "--runs", join(dir, "runs"), "--backend", "wasm", ...args.slice(1)]);
}

const runsOf = (dir: string) => {
  const root = join(dir, "runs", "tiny");
  return existsSync(root) ? readdirSync(root).map((d) => join(root, d)) : [];
};
const manifest = (run: string) => JSON.parse(readFileSync(join(run, "run.json"), "utf8"));

describe("run records", () => {
  it("records spec text, IR, overrides, version, backend, seeds and status; lists and compares runs", async () => {
    const dir = folder();
    const first = await train(dir);
    expect(first.status, first.out).toBe(0);
    const second = await train(dir, "tiny.recspec", "--set", "seq.train.batch=32");
    expect(second.status, second.out).toBe(0);
    const [a, b] = runsOf(dir).sort();
    const m = manifest(b);
    expect(m).toMatchObject({
      format: "recspec-run",
      spec: "tiny",
      specFile: join(dir, "tiny.recspec"),
      overrides: ["seq.train.batch=32"],
      recspec: VERSION,
      backend: "wasm",
      seeds: { seq: 0 },
      stage: "train",
      status: "complete",
    });
    expect(m.specText).toBe(readFileSync(join(dir, "tiny.recspec"), "utf8"));
    expect(Date.parse(m.endedAt)).toBeGreaterThanOrEqual(Date.parse(m.startedAt));
    expect(m.irHash).toMatch(/^[0-9a-f]{64}$/);
    const ir = JSON.parse(readFileSync(join(b, "ir.json"), "utf8"));
    expect(ir.blocks.find((x: { name: string }) => x.name === "seq").train.batch).toBe(32);
    expect(existsSync(join(b, ".lock"))).toBe(false);

    // A stray folder and an empty time-named folder are not runs.
    mkdirSync(join(dir, "runs", "tiny", "notes"));
    mkdirSync(join(dir, "runs", "tiny", "2099-01-01T00-00-00Z"));
    const listed = await recspec(dir, ["runs", "tiny.recspec", "--runs", join(dir, "runs"), "--format", "json"]);
    expect(listed.status, listed.out).toBe(0);
    const rows = JSON.parse(listed.stdout) as { id: string; status: string; stage: string }[];
    expect(rows.map((r) => r.id)).toEqual([a, b].map((p) => p.split("/").pop()));
    expect(rows.every((r) => r.status === "complete" && r.stage === "train")).toBe(true);
    const text = await recspec(dir, ["runs", "--runs", join(dir, "runs")]);
    expect(text.stdout).toMatch(/^spec\s+run\s+status\s+stage\s+metrics\s+duration$/m);

    const compared = await recspec(dir, ["compare", a, b]);
    expect(compared.status, compared.out).toBe(0);
    expect(compared.stdout).toContain("seq.train.batch: 64 → 32");
    expect(compared.stdout).toContain('--set: [] → ["seq.train.batch=32"]');
  });

  it("sorts runs by time: …Z-10 comes after …Z-9", async () => {
    const dir = folder();
    const root = join(dir, "runs", "tiny");
    for (const n of [2, 9, 10, 11]) {
      const id = `2026-01-01T00-00-00Z-${n}`;
      mkdirSync(join(root, id), { recursive: true });
      const attempt = {
        stage: "train",
        resume: false,
        pid: 1,
        host: "elsewhere",
        backend: "cpu",
        startedAt: "2026-01-01T00:00:00.000Z",
        endedAt: "2026-01-01T00:00:01.000Z",
        status: "complete",
      };
      writeFileSync(
        join(root, id, "run.json"),
        JSON.stringify({
          format: "recspec-run",
          version: 1,
          id,
          spec: "tiny",
          startedAt: attempt.startedAt,
          status: "complete",
          stage: "train",
          attempts: [attempt],
        }),
      );
    }
    const listed = await recspec(dir, ["runs", "tiny", "--runs", join(dir, "runs"), "--format", "json"]);
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((r) => r.id.split("-").pop())).toEqual(["2", "9", "10", "11"]);
  });
});

describe("--resume safety", () => {
  it("refuses a changed configuration naming the differences, and continues with --force", async () => {
    const dir = folder();
    expect((await train(dir)).status).toBe(0);
    const refused = await train(dir, "tiny.recspec", "--resume", "--set", "seq.train.batch=32", "--set", "seq.embedding=8");
    expect(refused.status, refused.out).toBe(1);
    expect(refused.stderr).toMatch(/^error\[RS6030\]: cannot resume .*: the spec's configuration differs from the run's:$/m);
    expect(refused.stderr).toContain("  seq.train.batch: 64 → 32");
    expect(refused.stderr).toContain("  seq.embedding: 16 → 8");
    expect(refused.stderr).toMatch(/help: .*--force/);
    const forced = await train(dir, "tiny.recspec", "--resume", "--force", "--set", "seq.train.batch=32");
    expect(forced.status, forced.out).toBe(0);
    expect(forced.stderr).toMatch(/--force: continuing the run although its configuration differs:\n {2}seq\.train\.batch: 64 → 32/);
    const [run] = runsOf(dir);
    const m = manifest(run);
    expect(m.attempts.at(-1)).toMatchObject({ resume: true, forced: ["seq.train.batch: 64 → 32"], status: "complete" });
    expect(JSON.parse(readFileSync(join(run, "ir.json"), "utf8")).blocks.find((b: { name: string }) => b.name === "seq").train.batch).toBe(32);
  });

  it("says there is nothing to resume from, and never logs a step twice", async () => {
    const dir = folder();
    expect((await train(dir)).status).toBe(0);
    const [run] = runsOf(dir);
    const seq = join(run, "seq");
    const metrics = join(seq, "metrics.jsonl");
    const before = readFileSync(metrics, "utf8");
    // Resuming from the older checkpoint (the latest is gone) keeps only the rows up to its step.
    const checkpoints = readdirSync(seq)
      .filter((f) => /^ckpt-\d+$/.test(f))
      .sort((x, y) => Number(x.slice(5)) - Number(y.slice(5)));
    expect(checkpoints).toEqual(["ckpt-10", "ckpt-15"]);
    rmSync(join(seq, "ckpt-15"), { recursive: true });
    rmSync(join(seq, "model"), { recursive: true });
    const resumed = await train(dir, "tiny.recspec", "--resume");
    expect(resumed.status, resumed.out).toBe(0);
    const rows = readFileSync(metrics, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { step: number; name: string; split: string });
    const keys = rows.map((r) => `${r.split}/${r.name}/${r.step}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(rows.length).toBe(before.trim().split("\n").length);

    // No checkpoint at all: RS6004, and metrics.jsonl is left as it was.
    for (const c of readdirSync(seq).filter((f) => f.startsWith("ckpt-"))) rmSync(join(seq, c), { recursive: true });
    rmSync(join(seq, "model"), { recursive: true });
    const logged = readFileSync(metrics, "utf8");
    const nothing = await train(dir, "tiny.recspec", "--resume");
    expect(nothing.status, nothing.out).toBe(1);
    expect(nothing.stderr).toMatch(/^error\[RS6004\]: nothing to resume from in .*: no block has a complete checkpoint yet$/m);
    expect(readFileSync(metrics, "utf8")).toBe(logged);
  });

  it("refuses a run another live process holds, and takes over the lock of a dead one", async () => {
    const dir = folder();
    expect((await train(dir)).status).toBe(0);
    const [run] = runsOf(dir);
    const holder = spawn("sleep", ["60"]);
    try {
      writeFileSync(join(run, ".lock"), JSON.stringify({ pid: holder.pid, host: (await import("node:os")).hostname(), startedAt: "then" }));
      const refused = await train(dir, "tiny.recspec", "--resume");
      expect(refused.status, refused.out).toBe(1);
      expect(refused.stderr).toMatch(new RegExp(`^error\\[RS6031\\]: the run is in use by process ${holder.pid} \\(since then\\)$`, "m"));
    } finally {
      const exited = new Promise((done) => holder.once("exit", done));
      holder.kill();
      await exited;
    }
    const resumed = await train(dir, "tiny.recspec", "--resume");
    expect(resumed.status, resumed.out).toBe(0);
    expect(existsSync(join(run, ".lock"))).toBe(false);
  });

  it("a failed fresh run leaves no folder behind, so eval and --resume never take it", async () => {
    const dir = folder();
    writeFileSync(join(dir, "events.csv"), "user,item,timestamp\nu1,i1,1\nu1,i2,2\nu1,i3,oops\n");
    writeFileSync(join(dir, "tiny.recspec"), 'spec tiny\ndataset events = interactions("events.csv")\nmodel seq = sequential(events)\n');
    const failed = await train(dir);
    expect(failed.status, failed.out).toBe(1);
    expect(failed.stderr).toMatch(/error\[RS6001\]/);
    expect(runsOf(dir)).toEqual([]);
  });

  it("never takes the run of another spec file with the same spec name", async () => {
    const dir = folder();
    expect((await train(dir)).status).toBe(0);
    mkdirSync(join(dir, "copy"));
    copyFileSync(join(dir, "tiny.recspec"), join(dir, "copy", "tiny.recspec"));
    const other = await train(dir, "copy/tiny.recspec", "--resume");
    expect(other.status, other.out).toBe(1);
    expect(other.stderr).toMatch(/^error\[RS6032\]: the runs in .* were made from .*\/tiny\.recspec, not .*\/copy\/tiny\.recspec$/m);
  });
});
