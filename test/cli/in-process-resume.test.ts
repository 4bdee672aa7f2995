// Trainings resumed one after another inside ONE process (as an experiment resumes its cells) end in
// the weights of an uninterrupted training, byte for byte: a fresh training, then a resume from
// step 12, then one from step 16, then both again (tensors held in between). Drives `main()` from
// src/cli.ts with `--backend wasm` (with the native addon when it is built), the backend that showed
// it: the addon's layer norm gave other bits depending on where tfjs had placed tensors on the wasm
// heap, and a process that had trained before had another heap layout (native/binding.gyp; the exact
// case is pinned by test/runtime/backend/native-address-independence.test.ts). This sequence, in
// this order, ended 1 ulp away in some weights on the resume from 16 before that fix.
// The checkpoints come from a child process stopped after step 16 (ckpt-12 and ckpt-16 kept), so
// that nothing but the resumes and the uninterrupted training runs in this process.
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import type { CommandIO } from "../../src/cli/io.js";

const PROGRAMS = resolve(".cache/recspec/test-in-process-resume");
const SPEC = `spec resumes

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
    epochs           = 6
    batch            = 64
    checkpoint_every = 4
  }
}
`;
// 200 users / 64 per batch = 4 batches per epoch: 24 steps, checkpoints every 4 (the last two kept).
const BIN = resolve("bin/recspec.js");

const written: string[] = [];
let home = "";
let reference: Buffer;
/** A run stopped after step 16 (ckpt-12 and ckpt-16 on disk), copied before each resume. */
let stoppedAt16 = "";

afterAll(() => {
  for (const dir of written) rmSync(dir, { recursive: true, force: true });
});

function tempDir(parent: string, prefix: string): string {
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, prefix));
  written.push(dir);
  return dir;
}

/** `recspec train` in this process; gives the run folder. */
async function train(runs: string, ...args: string[]): Promise<string> {
  let out = "";
  const io: CommandIO = { stdout: (t) => void (out += t), stderr: (t) => void (out += t), color: false, cwd: home };
  const program = tempDir(PROGRAMS, "program-");
  const status = await main(["train", join(home, "resumes.recspec"), "--out", program, "--runs", runs, "--backend", "wasm", ...args], io);
  expect(status, out).toBe(0);
  if (args.includes("--resume")) expect(out).toMatch(/seq: resumed from .*ckpt-\d+/);
  const ids = readdirSync(join(runs, "resumes"));
  expect(ids).toHaveLength(1);
  return join(runs, "resumes", ids[0]);
}

const weights = (run: string): Buffer => readFileSync(join(run, "seq", "model", "weights.bin"));
const checkpoints = (run: string): string[] =>
  readdirSync(join(run, "seq"))
    .filter((f) => /^ckpt-\d+$/.test(f))
    .sort();

/** A copy of `run` in a fresh runs folder, without its final model and the checkpoints in `drop`:
 * the run as an interrupted training would have left it. */
function interruptedCopy(run: string, drop: string[] = []): string {
  const runs = tempDir(tmpdir(), "recspec-resume-runs-");
  const copy = join(runs, "resumes", run.split("/").pop()!);
  cpSync(run, copy, { recursive: true });
  for (const name of ["model", ...drop]) rmSync(join(copy, "seq", name), { recursive: true, force: true });
  return runs;
}

/** Resumes a copy of `run` (minus `drop`) in this process; gives the resumed run folder. */
async function resume(run: string, drop: string[] = []): Promise<string> {
  // --force: the run was made with `steps = 16`; the resume continues with the spec's own
  // configuration (epochs = 6), as after an interruption.
  return train(interruptedCopy(run, drop), "--resume", "--force");
}

/** `recspec train … --set seq.train.steps=16` as a child process; gives its run folder. */
async function childStoppedAt16(): Promise<string> {
  const runs = tempDir(tmpdir(), "recspec-resume-runs-");
  const program = tempDir(PROGRAMS, "child-");
  const args = [BIN, "train", "resumes.recspec", "--out", program, "--runs", runs, "--backend", "wasm", "--set", "seq.train.steps=16"];
  const child = spawn(process.execPath, args, { cwd: home, stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  child.stderr.on("data", (d) => void (err += d));
  const status = await new Promise((done) => child.once("exit", done));
  expect(status, err).toBe(0);
  const ids = readdirSync(join(runs, "resumes"));
  return join(runs, "resumes", ids[0]);
}

beforeAll(async () => {
  home = tempDir(tmpdir(), "recspec-in-process-resume-");
  writeFileSync(join(home, "resumes.recspec"), SPEC);
  const child = childStoppedAt16();
  child.catch(() => undefined); // awaited below
  // The uninterrupted training is this process's first: nothing trained here before it.
  reference = weights(await train(tempDir(tmpdir(), "recspec-resume-runs-")));
  stoppedAt16 = await child;
  expect(checkpoints(stoppedAt16)).toEqual(["ckpt-12", "ckpt-16"]);
}, 120_000);

describe("trainings resumed one after another in one process", () => {
  it("fresh, then a resume from step 12, then one from step 16: the uninterrupted weights each time", async () => {
    expect(weights(await resume(stoppedAt16, ["ckpt-16"])).equals(reference), "resumed from 12").toBe(true);
    expect(weights(await resume(stoppedAt16)).equals(reference), "resumed from 16").toBe(true);
  }, 120_000);

  it("the same two resumes again, with tensors held across them: the same weights", async () => {
    // Tensors of odd sizes kept alive move where the next trainings' tensors land on the heap.
    const held = [1, 3, 10, 37, 64, 130].map((n) => tf.zeros([n]));
    try {
      expect(weights(await resume(stoppedAt16, ["ckpt-16"])).equals(reference), "resumed from 12").toBe(true);
      expect(weights(await resume(stoppedAt16)).equals(reference), "resumed from 16").toBe(true);
    } finally {
      tf.dispose(held);
    }
  }, 120_000);
});
