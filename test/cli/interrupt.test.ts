// Ctrl-C / SIGTERM during `recspec train` as a user meets it: a separate process, stopped with
// SIGTERM once its first progress line is out, saves a checkpoint, prints the exact --resume command
// and exits 143; running that command finishes the run, which then holds the very weights an
// uninterrupted run writes.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const BIN = resolve("bin/recspec.js");
const SPEC = resolve("test/fixtures/specs/tiny.recspec");
// 40 epochs of 5 steps: long enough that the signal lands mid-run. wasm: the same bits every time.
const ARGS = ["--set", "seq.train.epochs=40", "--backend", "wasm"];
const folders: string[] = [];
afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

function userFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "recspec-interrupt-"));
  folders.push(dir);
  copyFileSync(SPEC, join(dir, "tiny.recspec"));
  return dir;
}

const env = { ...process.env, NO_COLOR: "1" };

function recspec(cwd: string, args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function weights(runs: string): Buffer {
  const root = join(runs, "tiny");
  const [run] = readdirSync(root).sort();
  return readFileSync(join(root, run, "seq", "model", "weights.bin"));
}

describe("recspec train interrupted by SIGTERM", () => {
  it("checkpoints, prints the --resume command, exits 143; the command finishes with an uninterrupted run's weights", async () => {
    const reference = userFolder();
    const full = recspec(reference, ["train", "tiny.recspec", "--runs", join(reference, "runs"), ...ARGS]);
    expect(full.status, full.out).toBe(0);

    const cwd = userFolder();
    const runs = join(cwd, "runs");
    const child = spawn(process.execPath, [BIN, "train", "tiny.recspec", "--runs", runs, ...ARGS], { cwd, env });
    let out = "";
    let signalled = false;
    const status = await new Promise<number | null>((done) => {
      const read = (chunk: Buffer) => {
        out += chunk.toString();
        // Off a terminal the first progress line is the first epoch's.
        if (!signalled && /^epoch 1\/40 {2}step 5\/200 /m.test(out)) {
          signalled = true;
          child.kill("SIGTERM");
        }
      };
      child.stdout.on("data", read);
      child.stderr.on("data", read);
      child.once("close", (code) => done(code));
    });
    expect(signalled, out).toBe(true);
    expect(status, out).toBe(143);
    expect(out).toMatch(/^SIGTERM received: stopping after the current step and saving a checkpoint$/m);
    const stopped = /^seq: training stopped by SIGTERM after step (\d+) \((?:in epoch|the end of epoch) (\d+)\); checkpoint saved in (.*ckpt-(\d+))$/m.exec(
      out,
    );
    expect(stopped, out).not.toBeNull();
    const [, step, , checkpoint, saved] = stopped!;
    expect(saved).toBe(step);
    expect(Number(step)).toBeLessThan(200);
    expect(existsSync(checkpoint)).toBe(true);
    // No final weights yet: the run did not finish.
    const [run] = readdirSync(join(runs, "tiny"));
    expect(existsSync(join(runs, "tiny", run, "seq", "model"))).toBe(false);
    expect(out).not.toMatch(/internal error|^\s+at /m);

    // The printed command, run as printed.
    const command = /^resume with: (.*)$/m.exec(out)?.[1];
    expect(command).toBe(`recspec train tiny.recspec --resume --runs ${runs} --set seq.train.epochs=40 --backend wasm`);
    const [name, ...args] = command!.split(" ");
    expect(name).toBe("recspec");
    const resumed = recspec(cwd, args);
    expect(resumed.status, resumed.out).toBe(0);
    // It says what it resumes: the run folder, then the checkpoint, step and epoch.
    expect(resumed.out).toContain(`resuming: ${join(runs, "tiny", run)}`);
    const epoch = Math.floor(Number(step) / 5);
    expect(resumed.out).toContain(`seq: resumed from ${checkpoint}: step ${step} (epoch ${epoch + 1}/40, ${Number(step) % 5} of 5 batches done)`);
    expect(resumed.out).toMatch(/^epoch 40\/40 {2}step 200\/200 /m);
    expect(weights(runs).equals(weights(join(reference, "runs")))).toBe(true);
  }, 300_000);
});
