// The authors' multi-interest setup through the CLI (specs/mur_idw_official.recspec at a tiny size):
// it runs, and its evaluation reports HR@5 and HR@10 per cluster of the target item beside head and
// tail — one slice per cluster, which together hold every test user once.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import type { CommandIO } from "../../src/cli/io.js";

const PROGRAMS = resolve(".cache/recspec/test-synthetic-cluster-slices");
const written: string[] = [];
afterAll(() => {
  for (const dir of written) rmSync(dir, { recursive: true, force: true });
});

async function recspec(dir: string, ...args: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CommandIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false, cwd: dir };
  const status = await main(args, io);
  return { status, stdout, stderr };
}

describe("mur_idw_official", () => {
  it("reports HR@5 and HR@10 per target cluster, the clusters partitioning the test users", async () => {
    const dir = mkdtempSync(join(tmpdir(), "recspec-clusters-"));
    written.push(dir);
    copyFileSync(resolve("specs/mur_idw_official.recspec"), join(dir, "mur_idw_official.recspec"));
    mkdirSync(PROGRAMS, { recursive: true });
    const out = mkdtempSync(join(PROGRAMS, "program-"));
    written.push(out);
    const sets = ["synth.users=300", "mur.train.epochs=1", "mur.train.batch=64"].flatMap((s) => ["--set", s]);
    const r = await recspec(dir, "run", join(dir, "mur_idw_official.recspec"), "--out", out, "--runs", join(dir, "runs"), "--backend", "wasm", ...sets);
    expect(r.status, r.stderr).toBe(0);
    for (const metric of ["hr@5", "hr@10"]) {
      const row = (slice: string) => new RegExp(`^${metric}\\s+${slice}\\s+(\\d+)\\s`, "m").exec(r.stdout);
      const all = Number(row("all")![1]);
      expect(all).toBe(300);
      expect(row("head")).not.toBeNull();
      expect(row("tail")).not.toBeNull();
      // Five clusters of ten items; every user's target lies in exactly one of them.
      const perCluster = [0, 1, 2, 3, 4].map((c) => Number(row(`cluster${c}`)?.[1] ?? 0));
      expect(perCluster.reduce((a, b) => a + b, 0)).toBe(all);
      expect(row("cluster5")).toBeNull();
    }
  }, 240_000);
});
