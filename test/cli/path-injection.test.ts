// The reported attack, replayed: a spec under a folder whose name closes the banner comment of the
// generated files and appends `touch PWNED`. `recspec train` must train (status 0) without running
// it, in-process through `main()` and as the user typed it, through bin/recspec.js. Also the
// harmless variant that used to crash prettier: a folder called `a*`.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import type { CommandIO } from "../../src/cli/io.js";

const REPO = resolve(".");
const BIN = resolve("bin/recspec.js");
const SPEC = resolve("test/fixtures/specs/tiny.recspec");
// In-process runs import the program, which resolves "recspec/runtime" only inside this package.
const PROGRAMS = resolve(".cache/recspec/test-path-injection");
const ATTACK = 'audit/y*/;await import("node:child_process").then(c=>c.execSync("touch PWNED"));';

const written: string[] = [];
afterAll(() => {
  for (const dir of written) rmSync(dir, { recursive: true, force: true });
});

/** A temporary folder holding the tiny spec at `<folder>/*.recspec`, as in the report. */
function attackFolder(folder: string): string {
  const cwd = mkdtempSync(join(tmpdir(), "recspec-injection-"));
  written.push(cwd);
  mkdirSync(join(cwd, folder), { recursive: true });
  copyFileSync(SPEC, join(cwd, folder, "*.recspec"));
  return cwd;
}

/** `main(argv)` run from `cwd` (relative paths in argv, and the payload's `touch`, resolve there). */
async function inProcess(cwd: string, argv: string[]) {
  let out = "";
  const io: CommandIO = { stdout: (t) => void (out += t), stderr: (t) => void (out += t), color: false, cwd };
  const before = process.cwd();
  process.chdir(cwd);
  try {
    return { status: await main(argv, io), out };
  } finally {
    process.chdir(before);
  }
}

function programFolder(): string {
  mkdirSync(PROGRAMS, { recursive: true });
  const dir = mkdtempSync(join(PROGRAMS, "program-"));
  written.push(dir);
  return dir;
}

describe("a spec path that closes the generated banner", () => {
  it("trains through main() without running the payload", async () => {
    const cwd = attackFolder(ATTACK);
    const out = programFolder();
    const r = await inProcess(cwd, ["train", `${ATTACK}/*.recspec`, "--out", out, "--set", "seq.train.epochs=1", "--backend", "cpu"]);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/trained seq: \d+ steps, 1 epochs/);
    expect(existsSync(join(cwd, "PWNED"))).toBe(false);
    expect(existsSync(join(REPO, "PWNED"))).toBe(false);
    // The path is still named in the banner, as text.
    const index = readFileSync(join(out, "index.ts"), "utf8");
    expect(index.split("\n")[1]).toBe(
      ' * Generated from audit/y*\\/;await import("node:child_process").then(c=>c.execSync("touch PWNED"));/*.recspec by recspec. Edit freely and run with `recspec exec`; `recspec compile` regenerates it.',
    );
  }, 240_000);

  it("trains as the user typed it (bin/recspec.js, --out inj-out) without running the payload", () => {
    const cwd = attackFolder(ATTACK);
    const r = spawnSync(process.execPath, [BIN, "train", `${ATTACK}/*.recspec`, "--out", "inj-out", "--set", "seq.train.epochs=1"], {
      cwd,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
    expect(existsSync(join(cwd, "inj-out", "index.ts"))).toBe(true);
    expect(existsSync(join(cwd, "PWNED"))).toBe(false);
  }, 240_000);

  it("compiles a spec in a folder called `a*` (prettier used to fail on it)", async () => {
    const cwd = attackFolder("a*");
    const out = programFolder();
    const r = await inProcess(cwd, ["compile", "a*/*.recspec", "--out", out]);
    expect(r.status, r.out).toBe(0);
    expect(readFileSync(join(out, "model.ts"), "utf8")).toContain(" * Generated from a*\\/*.recspec by recspec.");
  });
});
