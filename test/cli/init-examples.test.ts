// `recspec init` and `recspec examples`, through the CLI in process from a folder outside the
// checkout: init writes the commented starter spec, which checks clean and is in `fmt` layout;
// examples copies the package's own specs/ (found from the package, not the working folder), each
// of which checks clean there, data paths included. Neither overwrites a file.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import type { CommandIO } from "../../src/cli/io.js";
import { STARTER_SPEC } from "../../src/cli/starter-spec.js";

async function recspec(cwd: string, ...args: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CommandIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false, cwd };
  const status = await main(args, io);
  return { status, stdout, stderr };
}

const emptyFolder = () => mkdtempSync(join(tmpdir(), "recspec-init-"));

describe("recspec init", () => {
  it("writes starter.recspec, which checks clean (its data found in the package) and is formatted", async () => {
    const cwd = emptyFolder();
    const r = await recspec(cwd, "init");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe("wrote starter.recspec\nnext: recspec run starter.recspec\n");
    const spec = join(cwd, "starter.recspec");
    expect(readFileSync(spec, "utf8")).toBe(STARTER_SPEC);
    expect(STARTER_SPEC.match(/^\s*\/\/ /gm)?.length).toBeGreaterThan(5);

    const checked = await recspec(cwd, "check", spec);
    expect(checked.status, checked.stderr).toBe(0);
    expect(checked.stderr).toBe("");
    expect((await recspec(cwd, "fmt", "--check", spec)).status).toBe(0);
  });

  it("writes into a new folder, and refuses to overwrite a starter that is there", async () => {
    const cwd = emptyFolder();
    expect((await recspec(cwd, "init", "a/b")).status).toBe(0);
    const spec = join(cwd, "a", "b", "starter.recspec");
    writeFileSync(spec, "spec mine\n");
    const again = await recspec(cwd, "init", "a/b");
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/^error: a\/b\/starter\.recspec already exists; nothing was written/);
    expect(readFileSync(spec, "utf8")).toBe("spec mine\n");
  });
});

describe("recspec examples", () => {
  it("copies the package's example specs, whatever the working folder, and each checks clean there", async () => {
    const cwd = emptyFolder();
    const r = await recspec(cwd, "examples");
    expect(r.status, r.stderr).toBe(0);
    const bundled = readdirSync(resolve("specs"))
      .filter((n) => n.endsWith(".recspec"))
      .sort();
    expect(bundled).toContain("quickstart.recspec");
    const copied = readdirSync(join(cwd, "recspec-examples")).sort();
    expect(copied).toEqual(bundled);
    for (const name of copied) expect(readFileSync(join(cwd, "recspec-examples", name), "utf8")).toBe(readFileSync(resolve("specs", name), "utf8"));
    expect(r.stderr).toMatch(/next: recspec run recspec-examples\/quickstart\.recspec/);

    const checked = await recspec(cwd, "check", ...copied.map((n) => join(cwd, "recspec-examples", n)));
    expect(checked.stderr).not.toMatch(/error/);
    expect(checked.status).toBe(0);
  });

  it("refuses when any target exists, and writes nothing", async () => {
    const cwd = emptyFolder();
    mkdirSync(join(cwd, "ex"));
    writeFileSync(join(cwd, "ex", "distill.recspec"), "mine\n");
    const r = await recspec(cwd, "examples", "ex");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: ex\/distill\.recspec already exists; nothing was written/);
    expect(readdirSync(join(cwd, "ex"))).toEqual(["distill.recspec"]);
    expect(readFileSync(join(cwd, "ex", "distill.recspec"), "utf8")).toBe("mine\n");
    expect(existsSync(join(cwd, "recspec-examples"))).toBe(false);
  });
});
