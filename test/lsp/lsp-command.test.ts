// `recspec lsp` as a command: listed in the help, refuses files and unknown options as usage errors
// (exit 2, before any protocol starts), and ends when the editor closes its stdin without a
// shutdown (exit 1, as the protocol asks), so no orphaned server outlives its editor.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import { ROOT } from "./lsp-client.js";

async function recspec(argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const status = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false, cwd: ROOT });
  return { status, stdout, stderr };
}

describe("recspec lsp", () => {
  it("is in the help", async () => {
    expect((await recspec(["--help"])).stdout).toMatch(/^ {2}lsp \[--stdio\] +the language server/m);
  });

  it("takes no files and no unknown options", async () => {
    const withFile = await recspec(["lsp", "specs/quickstart.recspec"]);
    expect(withFile.status).toBe(2);
    expect(withFile.stderr).toMatch(/^recspec lsp: takes no files/);
    const unknown = await recspec(["lsp", "--socket=4000"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stdout).toBe("");
  });

  it("exits when its stdin closes", async () => {
    const child = spawn(process.execPath, [join(ROOT, "bin", "recspec.js"), "lsp", "--stdio"], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (c: Buffer) => void (stdout += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.stdin.end();
    expect(await exited).toBe(1);
    expect(stdout).toBe("");
  });
});
