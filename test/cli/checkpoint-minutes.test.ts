// The `checkpoint_minutes` attribute of a train block as `recspec check` and `compile --emit ir` see
// it: a number ≥ 0 (0 turns wall-time checkpoints off), 5 when not written.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import type { CommandIO } from "../../src/cli/io.js";

const TINY = readFileSync(resolve("test/fixtures/specs/tiny.recspec"), "utf8");
const dir = mkdtempSync(join(tmpdir(), "recspec-ckpt-minutes-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function recspec(args: string[], spec: string) {
  const file = join(dir, "tiny.recspec");
  writeFileSync(file, spec);
  let stdout = "";
  let stderr = "";
  const io: CommandIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false, cwd: dir };
  const status = await main([...args, file], io);
  return { status, stdout, stderr };
}

const withMinutes = (value: string) => TINY.replace("checkpoint_every = 5", `checkpoint_every = 5\n    checkpoint_minutes = ${value}`);

describe("checkpoint_minutes", () => {
  it("defaults to 5 in the IR and takes 0 or a fraction", async () => {
    const ir = (r: { stdout: string }) => JSON.parse(r.stdout).blocks.find((b: { name: string }) => b.name === "seq").train.checkpoint_minutes;
    expect(ir(await recspec(["compile", "--emit", "ir"], TINY))).toBe(5);
    expect(ir(await recspec(["compile", "--emit", "ir"], withMinutes("0")))).toBe(0);
    expect(ir(await recspec(["compile", "--emit", "ir"], withMinutes("0.5")))).toBe(0.5);
  });

  it("rejects a negative value where it is written", async () => {
    const r = await recspec(["check"], withMinutes("-1"));
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/error\[RS4002\]: `checkpoint_minutes` must be ≥ 0, got -1\n\s+--> .*tiny\.recspec:22:26/);
  });
});
