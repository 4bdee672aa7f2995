// The other side of run-time diagnostics: an ordinary Error thrown inside the runtime is a bug, so
// the CLI reports it as an internal error with its stack and exits 2 — never as a user diagnostic,
// whatever its message says. The backend selection is made to throw, with a message that the old
// text-matching classifier would have taken for a user error.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli.js";
import type { CommandIO } from "../../src/cli/io.js";

vi.mock("../../src/runtime/backend/select-backend.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../src/runtime/backend/select-backend.js")>();
  return {
    ...original,
    selectBackend: async () => {
      throw new Error('backend "cpu" exploded: nothing to see here');
    },
  };
});

const SPEC = resolve("test/fixtures/specs/tiny.recspec");
const PROGRAMS = resolve(".cache/recspec/test-run-errors");
const written: string[] = [];
afterAll(() => {
  for (const dir of written) rmSync(dir, { recursive: true, force: true });
});

describe("an ordinary Error in the runtime", () => {
  it("is an internal error with its stack, exit 2", async () => {
    const runs = mkdtempSync(join(tmpdir(), "recspec-internal-"));
    mkdirSync(PROGRAMS, { recursive: true });
    const out = mkdtempSync(join(PROGRAMS, "program-"));
    written.push(runs, out);
    let stderr = "";
    const io: CommandIO = { stdout: () => {}, stderr: (t) => void (stderr += t), color: false, cwd: runs };
    const status = await main(["train", SPEC, "--out", out, "--runs", runs], io);
    expect(status).toBe(2);
    expect(stderr).toMatch(/^recspec: internal error \(please report it\): Error: backend "cpu" exploded/m);
    expect(stderr).toMatch(/\n\s+at .+:\d+:\d+/);
    expect(stderr).not.toMatch(/error\[RS6/);
  });
});
