// Eject and edit: `recspec compile SPEC --out DIR` gives a program a user can edit and run with
// `recspec exec DIR` (or `npx tsx DIR/index.ts`), and `recspec run|compile` never overwrite a
// generated file edited by hand unless told to with --force. Through the CLI, in process, on the
// tiny synthetic spec with one epoch on the wasm backend.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";

const SPEC = resolve("test/fixtures/specs/tiny.recspec");
const FAST = ["--set", "seq.train.epochs=1"];

async function recspec(...args: string[]) {
  let out = "";
  const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (out += t), color: false, cwd: process.cwd() };
  const status = await main(args, io);
  return { status, out };
}

/**
 * A user's folder holding the tiny spec, and recspec installed there (a link to this checkout): the
 * in-process CLI runs under vitest's module loader, which resolves `recspec/runtime` as a user's
 * node would, not through the CLI's own resolver. Every path handed to the CLI is absolute.
 */
function userFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "recspec-eject-"));
  copyFileSync(SPEC, join(dir, "tiny.recspec"));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(resolve("."), join(dir, "node_modules", "recspec"), "dir");
  return dir;
}

/** Every saved weight's shape in the latest run of `tiny` under `runs`. */
function savedShapes(runs: string): number[][] {
  const root = join(runs, "tiny");
  const latest = readdirSync(root).sort().at(-1)!;
  const manifest = JSON.parse(readFileSync(join(root, latest, "seq", "model", "model.json"), "utf8")) as {
    weightsManifest: { weights: { name: string; shape: number[] }[] }[];
  };
  return manifest.weightsManifest.flatMap((group) => group.weights.map((w) => w.shape));
}

/** Edits the transformer's feed-forward width (d_ff 32 in the spec) the way a user would. */
function widenFeedForward(file: string): void {
  const text = readFileSync(file, "utf8");
  // The emitted code spells it `d_ff: 32` (IR attributes) or `dFF: 32` (a runtime config).
  const width = /\b(d_ff|dFF): 32\b/g;
  expect(text.match(width), `no d_ff: 32 in ${file}`).toHaveLength(1);
  writeFileSync(file, text.replace(width, "$1: 48"));
}

describe("recspec compile --out, edited, then recspec exec", () => {
  it("trains the edited program into the run folder, as run does", async () => {
    const cwd = userFolder();
    const out = join(cwd, "program");
    const compiled = await recspec("compile", join(cwd, "tiny.recspec"), "--out", out, ...FAST);
    expect(compiled.status, compiled.out).toBe(0);
    widenFeedForward(join(out, "model.ts"));

    const runs = join(cwd, "runs");
    const r = await recspec("exec", out, "--runs", runs, "--backend", "wasm");
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/hr@10\s+all\s+300/);
    // Nothing else in the tiny model is 48 wide: the saved feed-forward weights come from the edit.
    expect(savedShapes(runs).some((shape) => shape.includes(48))).toBe(true);
    const [run] = readdirSync(join(runs, "tiny"));
    expect(existsSync(join(runs, "tiny", run, "report.html"))).toBe(true);

    // `--stage eval` restores that run's edited model (a 32-wide one would not load) and evaluates
    // it; as a separate process, without recspec installed in the folder: the CLI resolves the runtime.
    rmSync(join(cwd, "node_modules"), { recursive: true });
    const e = spawnSync(process.execPath, [resolve("bin/recspec.js"), "exec", "program", "--runs", "runs", "--backend", "wasm", "--stage", "eval"], {
      cwd,
      encoding: "utf8",
    });
    expect(e.status, `${e.stdout}${e.stderr}`).toBe(0);
    expect(e.stderr).toMatch(/restored seq/);
    // Result tables are the command's output (stdout); progress is on stderr.
    expect(e.stdout).toMatch(/hr@10\s+all\s+300/);
  }, 180_000);

  it("runs with `npx tsx DIR/index.ts` too, with the same flags", () => {
    const cwd = userFolder();
    const out = join(cwd, "program");
    const compiled = spawnSync(process.execPath, [resolve("bin/recspec.js"), "compile", "tiny.recspec", "--out", "program", ...FAST], {
      cwd,
      encoding: "utf8",
    });
    expect(compiled.status, compiled.stderr).toBe(0);
    // Until the emitter ends index.ts with the script entry, add it by hand as the emitter will.
    const index = join(out, "index.ts");
    if (!readFileSync(index, "utf8").includes("runIfMain(import.meta, main)")) {
      writeFileSync(index, `${readFileSync(index, "utf8")}\nimport { runIfMain } from "recspec/runtime";\nrunIfMain(import.meta, main);\n`);
    }
    const tsx = resolve("node_modules/tsx/dist/cli.mjs");
    const r = spawnSync(process.execPath, [tsx, "program/index.ts", "--stage", "train", "--runs", "my-runs", "--backend", "wasm"], { cwd, encoding: "utf8" });
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
    expect(r.stderr).toMatch(/trained seq/);
    expect(savedShapes(join(cwd, "my-runs")).length).toBeGreaterThan(0);

    const bad = spawnSync(process.execPath, [tsx, "program/index.ts", "--stage", "deploy"], { cwd, encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--stage takes run, train or eval/);
  }, 180_000);

  it("says when the folder holds no program", async () => {
    const r = await recspec("exec", userFolder());
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/holds no generated program/);
  });
});

describe("a generated folder with hand edits", () => {
  async function compiledAndEdited() {
    const cwd = userFolder();
    const spec = join(cwd, "tiny.recspec");
    const out = join(cwd, "program");
    const compiled = await recspec("compile", spec, "--out", out);
    expect(compiled.status, compiled.out).toBe(0);
    const model = join(out, "model.ts");
    widenFeedForward(model);
    return { spec, out, model, edited: readFileSync(model, "utf8"), train: readFileSync(join(out, "train.ts"), "utf8") };
  }

  it("is never overwritten by run or compile: exit 1, the edited file named, nothing written", async () => {
    const { spec, out, model, edited } = await compiledAndEdited();
    // A changed spec makes every file differ, so refusing must not depend on what would be written.
    writeFileSync(spec, readFileSync(spec, "utf8").replace("epochs           = 3", "epochs           = 2"));
    const train = readFileSync(join(out, "train.ts"), "utf8");
    const runs = join(out, "..", "runs");
    for (const args of [
      ["run", spec, "--out", out, "--runs", runs, "--backend", "wasm"],
      ["compile", spec, "--out", out],
    ]) {
      const r = await recspec(...args);
      expect(r.status, r.out).toBe(1);
      expect(r.out).toContain(join(out, "model.ts"));
      expect(r.out).toMatch(/edited by hand/);
      expect(r.out).toContain(`recspec exec ${out}`);
      expect(r.out).toMatch(/--force/);
      expect(r.out).not.toMatch(/train\.ts/);
      expect(readFileSync(model, "utf8")).toBe(edited);
      // Unedited files in that folder are not rewritten either: all or nothing.
      expect(readFileSync(join(out, "train.ts"), "utf8")).toBe(train);
    }
    expect(existsSync(runs)).toBe(false);
  });

  it("is overwritten with --force", async () => {
    const { spec, out, model, edited } = await compiledAndEdited();
    const r = await recspec("compile", spec, "--out", out, "--force");
    expect(r.status, r.out).toBe(0);
    const fresh = readFileSync(model, "utf8");
    expect(fresh).not.toBe(edited);
    expect(fresh).toMatch(/\b(d_ff|dFF): 32\b/);
    // Overwritten files are unedited again: a plain compile goes through.
    expect((await recspec("compile", spec, "--out", out)).status).toBe(0);
  });

  it("also refuses a file recspec did not write, or an edited one without a stamp", async () => {
    const { spec, out } = await compiledAndEdited();
    await recspec("compile", spec, "--out", out, "--force");
    writeFileSync(join(out, "infer.ts"), "export const mine = 1;\n");
    // As a file written before stamps existed, then edited: no stamp, and not what recspec writes.
    const index = readFileSync(join(out, "index.ts"), "utf8");
    writeFileSync(join(out, "index.ts"), `${index.replace(/^.*recspec content hash.*\n/m, "")}// mine\n`);
    const r = await recspec("compile", spec, "--out", out);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/index\.ts was edited by hand/);
    expect(r.out).toMatch(/infer\.ts was not written by recspec/);
    expect(readFileSync(join(out, "infer.ts"), "utf8")).toBe("export const mine = 1;\n");
  });
});

describe("an unedited generated folder", () => {
  it("is regenerated silently when the spec changes", async () => {
    const cwd = userFolder();
    const spec = join(cwd, "tiny.recspec");
    const out = join(cwd, "program");
    expect((await recspec("compile", spec, "--out", out)).status).toBe(0);
    const before = readFileSync(join(out, "model.ts"), "utf8");
    writeFileSync(spec, readFileSync(spec, "utf8").replace("d_ff: 32", "d_ff: 64"));
    const r = await recspec("compile", spec, "--out", out);
    expect(r.status, r.out).toBe(0);
    expect(r.out).not.toMatch(/error/);
    const after = readFileSync(join(out, "model.ts"), "utf8");
    expect(after).not.toBe(before);
    expect(after).toMatch(/\b(d_ff|dFF): 64\b/);
  });
});
