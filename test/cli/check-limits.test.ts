// User mistakes that once crashed, hung or flooded the terminal, through `recspec check` and `fmt` in
// process: each must be a diagnostic with a code, exit 1, no stack, quickly and in bounded output.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import type { CommandIO } from "../../src/cli/io.js";
import { Rng } from "../../src/runtime/random.js";

const dir = mkdtempSync(join(tmpdir(), "recspec-check-limits-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function recspec(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CommandIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false, cwd: process.cwd() };
  const started = performance.now();
  const status = await main(argv, io);
  return { status, stdout, stderr, ms: performance.now() - started };
}

function expectClean(r: { status: number; stderr: string }) {
  expect(r.status, r.stderr.slice(0, 2000)).toBe(1);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

describe("bounded input", () => {
  it("400 nested `[`: RS1010 at the first bracket too deep, for check and fmt", async () => {
    const path = file("deep.recspec", `spec deep\nparam x = ${"[".repeat(400)}${"]".repeat(400)}\n`);
    for (const command of ["check", "fmt"]) {
      const r = await recspec(command, path);
      expectClean(r);
      expect(r.stderr).toMatch(/^error\[RS1010\]: brackets nest more than 64 levels deep here$/m);
      // `param x = ` is 10 columns; the 65th `[` is at column 75.
      expect(r.stderr).toContain(`${path}:2:75`);
    }
  });

  it("a 3 MB binary file: one RS1009 diagnostic, fast", async () => {
    const rng = new Rng(7);
    const bytes = new Uint8Array(3_000_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = rng.int(256);
    const path = file("blob.recspec", bytes);
    for (const command of ["check", "fmt"]) {
      const r = await recspec(command, path);
      expectClean(r);
      expect(r.stderr).toMatch(/^error\[RS1009\]: this is not a spec file: it contains a NUL byte$/m);
      expect(r.stderr).toMatch(/Found 1 error\./);
      expect(r.stderr.length).toBeLessThan(2_000);
      expect(r.ms).toBeLessThan(3_000);
    }
  });

  it("a 20 KB line of bad tokens: 100 diagnostics and a count of the rest, each line cut to a window", async () => {
    const path = file("noise.recspec", `spec noise\nparam x = ${"#a".repeat(10_000)}\n`);
    const r = await recspec("check", path);
    expectClean(r);
    expect(r.stderr).toMatch(/^error\[RS1011\]: this file has 9900 more syntax errors, not shown$/m);
    expect(r.stderr.match(/^error\[RS1001\]/gm)).toHaveLength(100);
    expect(r.stderr.length).toBeLessThan(60_000);
    // No printed line is near the 20,000 characters of the source line.
    expect(Math.max(...r.stderr.split("\n").map((l) => l.length))).toBeLessThan(200);
    expect(r.stderr).toMatch(/^2 \| param x = #a#a.*…$/m);
  });

  it("a huge unknown token is quoted short in the message", async () => {
    const path = file("word.recspec", `spec word\nparam x = 1 ${"$".repeat(5_000)}\n`);
    const r = await recspec("check", path);
    expectClean(r);
    const head = r.stderr.split("\n")[0];
    expect(head).toMatch(/^error\[RS1001\]: unexpected character `\$+…`$/);
    expect(head.length).toBeLessThan(80);
  });

  it("a 2 MB text file: RS1009, too large to be a spec", async () => {
    const path = file("big.recspec", `spec big\n${"// comment\n".repeat(200_000)}`);
    const r = await recspec("check", path);
    expectClean(r);
    expect(r.stderr).toMatch(/^error\[RS1009\]: this is not a spec file: it has 2200009 characters, more than the 262144 a spec may have$/m);
  });
});

describe("sizes the machine cannot hold", () => {
  it("--set sasrec.embedding=100000: RS4013 at the --set, before any training", async () => {
    const r = await recspec("check", "specs/quickstart.recspec", "--set", "sasrec.embedding=100000");
    expectClean(r);
    expect(r.stderr).toMatch(/^error\[RS4013\]: `sasrec` needs a tensor of 10,000,000,000 values \(attention projections \[100000 × 100000\]\)/m);
    expect(r.stderr).toContain("--> --set sasrec.embedding=100000:1:7");
    expect(r.ms).toBeLessThan(5_000);
  });

  it("users = 30000000: RS4012 with the estimate and the limit, at `users`", async () => {
    const path = file(
      "crowd.recspec",
      "spec crowd\n\ndataset data = synthetic {\n  users = 30000000\n}\n\nmodel m = sequential(data) {\n  train { epochs = 1 }\n}\n",
    );
    const r = await recspec("check", path);
    expectClean(r);
    expect(r.stderr).toMatch(
      /^error\[RS4012\]: `data` needs about 33\.0 GB of JavaScript heap for its generated data, more than the limit of [\d.]+ [GM]B \(half of Node's heap limit\)$/m,
    );
    expect(r.stderr).toContain(`${path}:4:11`);
    expect(r.stderr).toMatch(/= help: lower `users` of `data`/);
  });

  it("--memory-limit checks for another machine's memory", async () => {
    const args = ["check", "specs/quickstart.recspec", "--set", "sasrec.embedding=8192"];
    expect((await recspec(...args, "--memory-limit", "64GB")).status).toBe(0);
    const small = await recspec(...args, "--memory-limit", "1GB");
    expectClean(small);
    expect(small.stderr).toMatch(/^error\[RS4012\]: `sasrec` needs at least [\d.]+ GB of memory for its tensors, more than the limit of 1\.0 GB/m);
    const bad = await recspec(...args, "--memory-limit", "a lot");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--memory-limit must be a size/);
  });

  it("a spec name too long for a file name: RS4014", async () => {
    const path = file("named.recspec", `spec ${"n".repeat(150)}\n\ndataset data = synthetic\n\nmodel m = sequential(data) {\n  train { epochs = 1 }\n}\n`);
    const r = await recspec("check", path);
    expectClean(r);
    expect(r.stderr).toMatch(/^error\[RS4014\]: the spec name is 150 characters long; at most 100 fit in the file names made from it$/m);
  });
});

describe("what check is given", () => {
  it("a folder is said to be one, not an import", async () => {
    const r = await recspec("check", dir);
    expectClean(r);
    expect(r.stderr).toBe(`error: cannot read \`${dir}\`: is a directory\n`);
  });

  it("a missing file is said to be missing, and the other files are still checked", async () => {
    const missing = join(dir, "nope.recspec");
    const r = await recspec("check", missing, "specs/quickstart.recspec");
    expectClean(r);
    expect(r.stderr).toContain(`error: cannot read \`${missing}\`: no such file`);
    expect(r.stderr).not.toMatch(/imported file/);
  });
});
