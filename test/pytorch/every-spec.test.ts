// `recspec compile SPEC --target pytorch` for every example spec (specs/*.recspec): exit 0, the
// package's files (Python that byte-compiles where a python3 exists, ir.json holding the spec's IR as
// a run records it, a README with the launch lines). Specs that need something the target does not
// cover yet are listed in NOT_YET with what that is, and stay to-dos until it is covered; a spec
// added to specs/ is compiled too, and one listed here that compiles fails this test (so the list
// is kept exact).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import type { CommandIO } from "../../src/cli/io.js";
import { compileSpec } from "../../src/compiler/compile.js";
import { diskHost } from "../../src/cli/host.js";
import { recordedIr } from "../../src/runtime/runs/manifest.js";

/** Example specs the PyTorch target cannot compile yet, and what they need. */
const NOT_YET: Record<string, string> = {};

const SPECS = resolve(import.meta.dirname, "../../specs");
const out = mkdtempSync(join(tmpdir(), "pytorch-every-spec-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CommandIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false, cwd: process.cwd() };
  const status = await main(args, io);
  return { status, stdout, stderr };
}

const specs = readdirSync(SPECS)
  .filter((f) => f.endsWith(".recspec"))
  .sort();
const hasPython = spawnSync("python3", ["--version"]).error === undefined;

describe("recspec compile --target pytorch, every example spec", { timeout: 60_000 }, () => {
  it("lists only example specs as not yet covered", () => {
    for (const name of Object.keys(NOT_YET)) expect(specs, name).toContain(name);
  });

  for (const name of specs) {
    if (name in NOT_YET) {
      it.todo(`${name} (needs ${NOT_YET[name]})`);
      continue;
    }
    it(name, async () => {
      const dir = join(out, name.replace(/\.recspec$/, ""));
      const r = await cli(["compile", join(SPECS, name), "--target", "pytorch", "--out", dir]);
      expect(r.status, r.stderr).toBe(0);
      const files = readdirSync(dir);
      expect(files).toEqual(expect.arrayContaining(["model.py", "data.py", "train.py", "evaluate.py", "run_record.py", "ir.json", "README.md"]));
      const ir = compileSpec(join(SPECS, name), diskHost).ir!;
      expect(JSON.parse(readFileSync(join(dir, "ir.json"), "utf8"))).toEqual(recordedIr(ir));
      expect(readFileSync(join(dir, "README.md"), "utf8")).toContain(`torchrun --nproc_per_node=2 PKG/train.py --data prepared/${ir.spec}`);
      if (hasPython) {
        const python = files.filter((f) => f.endsWith(".py")).map((f) => join(dir, f));
        const compiled = spawnSync("python3", ["-m", "py_compile", ...python], { encoding: "utf8" });
        expect(compiled.stderr).toBe("");
        expect(compiled.status).toBe(0);
      }
    });
  }

  it("refuses the specs it does not cover yet with exit 1, naming what is missing", async () => {
    for (const name of Object.keys(NOT_YET)) {
      const dir = join(out, `not-yet-${name}`);
      const r = await cli(["compile", join(SPECS, name), "--target", "pytorch", "--out", dir]);
      expect(r.status, `${name} compiles now: take it off NOT_YET`).toBe(1);
      expect(r.stderr).toMatch(/^error: .*PyTorch target/m);
      expect(existsSync(dir)).toBe(false);
    }
  });
});
