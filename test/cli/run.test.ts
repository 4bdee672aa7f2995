// `recspec run | eval | train --resume` as a user runs them: separate processes, a spec in a folder
// outside the repository, a tiny synthetic data set. Includes a kill -9 in the middle of training.
// Each process costs seconds of start-up, so tests that look at the same run share it: the first
// test's run is the uninterrupted run the kill -9 test ends at. `recspec run --experiment` is in
// run-experiments.test.ts (a file of its own, so vitest's two workers can run the two at once).
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const BIN = resolve("bin/recspec.js");
const SPEC = resolve("test/fixtures/specs/tiny.recspec");

/** A fresh folder outside the repository holding tiny.recspec (`text`, else the fixture's). */
function userFolder(text?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "recspec-run-"));
  if (text === undefined) copyFileSync(SPEC, join(dir, "tiny.recspec"));
  else writeFileSync(join(dir, "tiny.recspec"), text);
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

/** Runs `make` on the first call and gives its value to every later one. */
function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

// tiny.recspec at 20 epochs (100 steps) with a checkpoint every 10 steps: long enough for the
// kill -9 test to catch it midway. In the spec rather than --set, so `run` writes generated/tiny.
const SLOW_SPEC = readFileSync(SPEC, "utf8")
  .replace(/epochs( +)= 3\n/, "epochs$1= 20\n")
  .replace(/checkpoint_every = 5\n/, "checkpoint_every = 10\n");

/** `recspec run tiny.recspec` (SLOW_SPEC) in a fresh folder, uninterrupted: the folder and the command's result. */
const tinyRun = once(() => {
  const cwd = userFolder(SLOW_SPEC);
  return { cwd, ...recspec(cwd, "run", "tiny.recspec", "--backend", "wasm") };
});

type Results = { rows: { metric: string; slice: string; value: number; baseline: { value: number } | null }[] }[];
const results = (dir: string) => JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as Results;

describe("recspec run", () => {
  it("compiles, trains, evaluates on the test split beside popularity, and writes the report", () => {
    const { cwd, ...r } = tinyRun();
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
    // The uninterrupted run: `recspec run` trains as `recspec train` does, then evaluates.
    const { cwd: reference, ...full } = tinyRun();
    expect(full.status, full.out).toBe(0);
    expect(full.out).toMatch(/20 epochs = 100 steps/);

    const cwd = userFolder(SLOW_SPEC);
    const child = spawn(process.execPath, [BIN, "train", "tiny.recspec", "--backend", "wasm"], { cwd, stdio: "ignore" });
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

    const resumed = recspec(cwd, "train", "tiny.recspec", "--resume", "--backend", "wasm");
    expect(resumed.status, resumed.out).toBe(0);
    expect(resumed.out).toMatch(/seq: resumed from .*ckpt-\d+/);
    // Same seed, same backend: the resumed run's final weights are those of the uninterrupted run.
    const weights = (cwd: string) => readFileSync(join(runDirs(cwd)[0], "seq", "model", "weights.bin"));
    expect(weights(cwd).equals(weights(reference))).toBe(true);
  }, 240_000);
});
