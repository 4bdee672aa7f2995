// Progress as `recspec run` shows it, through the CLI in process: on a terminal one line redrawn in
// place whose bar and total are there from the first step, and a line counting the users an
// evaluation has ranked; elsewhere one plain line per epoch with elapsed time and ETA, no carriage
// returns. Also the counts the log gives for the work: what one epoch iterates.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import type { CommandIO } from "../../src/cli/io.js";

const SPEC = resolve("test/fixtures/specs/tiny.recspec");
const PROGRAMS = resolve(".cache/recspec/test-progress");
const written: string[] = [];
// Durations as progress prints them: 45s, 5m08s, 1h02m.

const noColor = process.env.NO_COLOR;
beforeAll(() => {
  // The terminal case is asked for through the CommandIO; the environment must not veto it.
  delete process.env.NO_COLOR;
});
afterAll(() => {
  if (noColor !== undefined) process.env.NO_COLOR = noColor;
  for (const dir of written) rmSync(dir, { recursive: true, force: true });
});

async function run(color: boolean) {
  const dir = mkdtempSync(join(tmpdir(), "recspec-progress-"));
  copyFileSync(SPEC, join(dir, "tiny.recspec"));
  mkdirSync(PROGRAMS, { recursive: true });
  const out = mkdtempSync(join(PROGRAMS, "program-"));
  written.push(out, dir);
  let stderr = "";
  const io: CommandIO = { stdout: () => {}, stderr: (t) => void (stderr += t), color, cwd: dir };
  const status = await main(["run", join(dir, "tiny.recspec"), "--out", out, "--runs", join(dir, "runs"), "--backend", "wasm"], io);
  return { status, stderr };
}

describe("training and evaluation progress from the CLI", () => {
  it("on a terminal: a bar with the total from the first step, epoch lines, and users ranked while evaluating", async () => {
    const r = await run(true);
    expect(r.status, r.stderr).toBe(0);
    // tiny: 300 users in batches of 64 → 5 steps per epoch, 3 epochs.
    expect(r.stderr).toMatch(/\r\[#\.{19}\] {2}epoch 1\/3 {2}step 1\/15 {2}loss \d\.\d{4} {2}[\d.]+ steps\/s/);
    expect(r.stderr).toMatch(/\repoch 3\/3 {2}step 15\/15 {2}loss \d\.\d{4} {2}[\d.]+ steps\/s {2}elapsed [\dhms]+\x1b\[K\n/);
    // Chunks of 256 users: the first redraw comes after 256 of the 300 test users; then the line is cleared.
    expect(r.stderr).toMatch(/\revaluating seq on synth\.test {2}\[#{17}\.{3}\] {2}256\/300 users[^\r]*\x1b\[K/);
    expect(r.stderr).toContain("\r\x1b[K");
  }, 240_000);

  it("off a terminal: one plain line per epoch with steps, loss, steps/s, elapsed and ETA", async () => {
    const r = await run(false);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("\r");
    const epochs = r.stderr.split("\n").filter((l) => l.startsWith("epoch "));
    expect(epochs).toHaveLength(3);
    expect(epochs[0]).toMatch(/^epoch 1\/3 {2}step 5\/15 {2}loss \d\.\d{4} {2}[\d.]+ steps\/s {2}elapsed [\dhms]+ {2}ETA [\dhms]+$/);
    expect(epochs[2]).toMatch(/^epoch 3\/3 {2}step 15\/15 {2}loss \d\.\d{4} {2}[\d.]+ steps\/s {2}elapsed [\dhms]+$/);
    // The counts match the work: the split's users, then what one epoch of this model iterates.
    expect(r.stderr).toContain("300 train / 300 validation / 300 test users");
    expect(r.stderr).toContain("seq: 300 training examples, batches of 64: 5 steps per epoch, 3 epochs = 15 steps");
  }, 240_000);
});
