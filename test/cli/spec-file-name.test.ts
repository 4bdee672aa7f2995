// A spec without `spec NAME` is named after its file, and that name becomes folder names
// (generated/<name>/, runs/<name>/). A file named `...recspec` would be named `..` and write its
// program into the working folder's parent: such names are RS4015, and nothing is written.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import type { CommandIO } from "../../src/cli/io.js";

const dir = mkdtempSync(join(tmpdir(), "recspec-spec-file-name-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BODY = `dataset synth = synthetic { users = 20  clusters = 3  items_per_cluster = 3  history = 4 }
model seq = sequential(synth) { embedding = 8 }
`;

async function recspec(...argv: string[]) {
  let stderr = "";
  const io: CommandIO = { stdout: () => undefined, stderr: (t) => void (stderr += t), color: false, cwd: dir };
  return { status: await main(argv, io), stderr };
}

describe("a spec named after its file", () => {
  it.each(["...recspec", "a b.recspec", "$(x).recspec", ".hidden.recspec"])("%s is RS4015 with the fix, and compile writes nothing", async (name) => {
    const path = join(dir, name);
    writeFileSync(path, BODY);
    const check = await recspec("check", path);
    expect(check.status).toBe(1);
    expect(check.stderr).toMatch(/RS4015/);
    expect(check.stderr).toMatch(/spec NAME/);
    const before = readdirSync(dir).sort();
    const compile = await recspec("compile", path, "--out", join(dir, "out"));
    expect(compile.status).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("a plain file name, or any file with `spec NAME`, is fine", async () => {
    writeFileSync(join(dir, "my-spec.v2.recspec"), BODY);
    expect((await recspec("check", join(dir, "my-spec.v2.recspec"))).status).toBe(0);
    writeFileSync(join(dir, "odd name.recspec"), `spec odd\n${BODY}`);
    expect((await recspec("check", join(dir, "odd name.recspec"))).status).toBe(0);
  });
});
