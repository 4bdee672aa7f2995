// The fault matrix of training runs (issue #17): a `recspec train` child killed with -9 at random
// steps, a torn (truncated) latest checkpoint, a corrupted (bit-flipped, same size) latest
// checkpoint — each then continued with `--resume` must end in exactly the weights of an
// uninterrupted run (weights.bin byte for byte) — and a full disk (a small tmpfs, where it can be
// mounted), which must end in a clean RS6033 error with no `*.tmp` left behind. A tiny model and few
// steps keep it short; the kill points are drawn from a fixed seed (RECSPEC_FAULT_SEED to vary).
// The uninterrupted and the killed trainings are child processes started together; the resumes run
// in this process (that a process which trained before resumes exactly is in-process-resume.test.ts).
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import type { CommandIO } from "../../src/cli/io.js";

const BIN = resolve("bin/recspec.js");
const PROGRAMS = resolve(".cache/recspec/test-fault-matrix");
const SPEC = `spec faults

dataset synth = synthetic {
  users             = 200
  clusters          = 3
  items_per_cluster = 6
  history           = 8
  seed              = 5
}

model seq = sequential(synth) {
  embedding = 8
  encoder   = transformer(layers: 1, heads: 2, d_ff: 16, dropout: 0.1, causal: true)

  train {
    optimizer        = adam(lr: 5e-3)
    epochs           = 10
    batch            = 64
    checkpoint_every = 4
  }
}
`;
const STEPS = 40; // 200 users / 64 per batch = 4 batches per epoch, 10 epochs

const written: string[] = [];
let home = "";
let reference: Buffer;
let referenceRun = "";

afterAll(() => {
  for (const dir of written) rmSync(dir, { recursive: true, force: true });
});

async function train(runs: string, ...args: string[]) {
  let out = "";
  const io: CommandIO = { stdout: (t) => void (out += t), stderr: (t) => void (out += t), color: false, cwd: home };
  mkdirSync(PROGRAMS, { recursive: true });
  const program = mkdtempSync(join(PROGRAMS, "program-"));
  written.push(program);
  const status = await main(["train", join(home, "faults.recspec"), "--out", program, "--runs", runs, "--backend", "wasm", ...args], io);
  return { status, out };
}

const onlyRun = (runs: string) => {
  const root = join(runs, "faults");
  const ids = readdirSync(root);
  expect(ids).toHaveLength(1);
  return join(root, ids[0]);
};
const weights = (run: string) => readFileSync(join(run, "seq", "model", "weights.bin"));
const lastStep = (run: string): number => {
  try {
    const lines = readFileSync(join(run, "seq", "metrics.jsonl"), "utf8")
      .trim()
      .split("\n");
    return Math.max(
      0,
      ...lines.flatMap((l) => {
        try {
          return [JSON.parse(l).step as number];
        } catch {
          return [];
        }
      }),
    );
  } catch {
    return 0;
  }
};
const temps = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((p) => p.endsWith(".tmp"));

/** A seeded draw of `n` distinct kill steps after the first checkpoint and before the end. */
function killSteps(n: number): number[] {
  let state = Number(process.env.RECSPEC_FAULT_SEED ?? 17) >>> 0;
  const steps = new Set<number>();
  while (steps.size < n) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    steps.add(6 + (state % 20)); // the first half: room for a late kill while this process is busy
  }
  return [...steps].sort((a, b) => a - b);
}

/** Copies the reference run into a fresh runs folder as if its training had not finished. */
function unfinishedCopy(): { runs: string; run: string } {
  const runs = mkdtempSync(join(tmpdir(), "recspec-fault-runs-"));
  written.push(runs);
  const run = join(runs, "faults", referenceRun.split("/").pop()!);
  cpSync(referenceRun, run, { recursive: true });
  rmSync(join(run, "seq", "model"), { recursive: true });
  return { runs, run };
}

const KILL_STEPS = killSteps(2);
/** The killed children's runs by kill step: started before the reference trains, so they overlap. */
const killed = new Map<number, Promise<{ runs: string; run: string; killedAt: number }>>();

/** Starts `recspec train` as a child and kills it with -9 once its metric log reaches `step`. */
async function trainAndKill(step: number): Promise<{ runs: string; run: string; killedAt: number }> {
  const runs = mkdtempSync(join(tmpdir(), "recspec-fault-runs-"));
  written.push(runs);
  const program = mkdtempSync(join(PROGRAMS, "child-"));
  written.push(program);
  const child = spawn(process.execPath, [BIN, "train", "faults.recspec", "--out", program, "--runs", runs, "--backend", "wasm"], {
    cwd: home,
    stdio: "ignore",
  });
  const exited = new Promise((done) => child.once("exit", done));
  const deadline = Date.now() + 120_000;
  let run = "";
  while (Date.now() < deadline) {
    const root = join(runs, "faults");
    const ids = existsSync(root) ? readdirSync(root) : [];
    run = ids.length === 1 ? join(root, ids[0]) : "";
    if (run && lastStep(run) >= step) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  child.kill("SIGKILL");
  await exited;
  return { runs, run, killedAt: run ? lastStep(run) : 0 };
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "recspec-faults-"));
  written.push(home);
  writeFileSync(join(home, "faults.recspec"), SPEC);
  mkdirSync(PROGRAMS, { recursive: true });
  for (const step of KILL_STEPS) {
    const attempt = trainAndKill(step);
    attempt.catch(() => undefined); // awaited (and reported) by its test
    killed.set(step, attempt);
  }
  // The uninterrupted run is a child process too, like every interrupted one: resumes in this
  // process then compare against a run that shared nothing with them.
  const runs = join(home, "reference");
  const program = mkdtempSync(join(PROGRAMS, "reference-"));
  written.push(program);
  const child = spawn(process.execPath, [BIN, "train", "faults.recspec", "--out", program, "--runs", runs, "--backend", "wasm"], {
    cwd: home,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  child.stderr.on("data", (d) => void (err += d));
  const status = await new Promise((done) => child.once("exit", done));
  expect(status, err).toBe(0);
  referenceRun = onlyRun(runs);
  reference = weights(referenceRun);
  expect(
    readdirSync(join(referenceRun, "seq"))
      .filter((f) => /^ckpt-\d+$/.test(f))
      .sort(),
  ).toEqual(["ckpt-36", "ckpt-40"]);
}, 120_000);

describe("fault matrix: interrupted training resumes to the uninterrupted weights", () => {
  it.each(KILL_STEPS)(
    "kill -9 of `recspec train` at step %i",
    async (step) => {
      const { runs, run, killedAt } = await killed.get(step)!;
      expect(run, "the child never reached the step").not.toBe("");
      expect(killedAt).toBeGreaterThanOrEqual(step);
      expect(killedAt).toBeLessThan(STEPS);

      // The killed run's manifest still says running, its process is gone: listed as interrupted.
      let listed = "";
      const io: CommandIO = { stdout: (t) => void (listed += t), stderr: () => undefined, color: false, cwd: home };
      expect(await main(["runs", "faults", "--runs", runs, "--format", "json"], io)).toBe(0);
      expect((JSON.parse(listed) as { status: string }[]).map((r) => r.status)).toEqual(["interrupted"]);
      const left = readdirSync(join(run, "seq")).sort().join(" ");
      const resumed = await train(runs, "--resume");
      expect(resumed.status, resumed.out).toBe(0);
      expect(resumed.out).toMatch(/seq: resumed from .*ckpt-\d+/);
      expect(weights(run).equals(reference), `killed at step ${killedAt}, leaving ${left}\n${resumed.out}`).toBe(true);
      expect(JSON.parse(readFileSync(join(run, "run.json"), "utf8")).status).toBe("complete");
      expect(temps(run)).toEqual([]);
      // Every step is logged once, however many times it was trained.
      const rows = readFileSync(join(run, "seq", "metrics.jsonl"), "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      const keys = rows.map((r: { split: string; name: string; step: number }) => `${r.split}/${r.name}/${r.step}`);
      expect(new Set(keys).size).toBe(keys.length);
    },
    150_000,
  );

  it("a torn (truncated) latest checkpoint: resumes from the older one", async () => {
    const { runs, run } = unfinishedCopy();
    const torn = join(run, "seq", "ckpt-40", "weights.bin");
    truncateSync(torn, statSync(torn).size - 7);
    const resumed = await train(runs, "--resume");
    expect(resumed.status, resumed.out).toBe(0);
    expect(resumed.out).toMatch(/seq: checkpoint ckpt-40 is incomplete \(torn write\); skipped/);
    expect(resumed.out).toMatch(/seq: resumed from .*ckpt-36/);
    expect(weights(run).equals(reference)).toBe(true);
  });

  it("a corrupted (bit-flipped, same size) latest checkpoint: set aside, resumes from the older one", async () => {
    const { runs, run } = unfinishedCopy();
    const file = join(run, "seq", "ckpt-40", "weights.bin");
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)] ^= 0x10;
    writeFileSync(file, bytes);
    const resumed = await train(runs, "--resume");
    expect(resumed.status, resumed.out).toBe(0);
    expect(resumed.out).toMatch(/seq: checkpoint ckpt-40 is corrupt \(weights\.bin does not match its checksum\); set aside as ckpt-40\.corrupt/);
    expect(resumed.out).toMatch(/seq: continuing from the older checkpoint ckpt-36/);
    expect(weights(run).equals(reference)).toBe(true);
    expect(existsSync(join(run, "seq", "ckpt-40.corrupt"))).toBe(true);
  });

  it("a full disk (ENOSPC on a small tmpfs): a clean RS6033 error and no *.tmp left", async (ctx) => {
    const mount = mkdtempSync(join(tmpdir(), "recspec-enospc-"));
    written.push(mount);
    const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=48k", "tmpfs", mount], { encoding: "utf8" });
    if (mounted.status !== 0) {
      console.warn(`fault matrix: ENOSPC case skipped: cannot mount a tmpfs (${(mounted.stderr || mounted.error?.message || "").trim()})`);
      ctx.skip();
      return;
    }
    try {
      const failed = await train(join(mount, "runs"));
      expect(failed.status, failed.out).toBe(1);
      expect(failed.out).toMatch(/^error\[RS6033\]: cannot write .*: no space left on the device \(ENOSPC\)$/m);
      expect(failed.out).not.toMatch(/internal error|^\s+at /m);
      expect(temps(mount)).toEqual([]);
    } finally {
      spawnSync("umount", [mount]);
    }
  });
});
