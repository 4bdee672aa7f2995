// `recspec run` on a spec whose distilled student is a two-tower model (smaller towers than its
// two-tower teacher), as a user runs it: the generated program spells the student out as a class
// of its own towers and trains it on the in-batch distillation loss.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const BIN = resolve("bin/recspec.js");

function recspec(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe("recspec run with a two-tower distilled student", () => {
  it("compiles the student as a class over its own towers, trains it against the teacher and evaluates it", () => {
    const cwd = mkdtempSync(join(tmpdir(), "recspec-tt-distill-"));
    copyFileSync(resolve("test/fixtures/specs/tiny_two_tower_distill.recspec"), join(cwd, "spec.recspec"));
    const compiled = recspec(cwd, "compile", "spec.recspec", "--out", "program");
    expect(compiled.status, compiled.out).toBe(0);
    const model = readFileSync(join(cwd, "program", "model.ts"), "utf8");
    expect(model).toMatch(/export class SmallNetwork implements InBatchStudent \{/);
    expect(model).toContain("readonly user: SmallUsersTower;");
    expect(model).not.toContain("BlockSpec");

    const r = recspec(cwd, "run", "spec.recspec", "--backend", "wasm", "--set", "small.teacher_transform=topk(k: 3)");
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain(
      "small: distilling retrieval → two-tower student (towers small_users, small_items; τ = 2, α = 0.5, teacher transform topk(k=3) on the in-batch candidates)",
    );
    expect(r.out).toMatch(/trained small: 8 steps/);
    const root = join(cwd, "runs", "tiny_two_tower_distill");
    const [run] = readdirSync(root).map((d) => join(root, d));
    const losses = readFileSync(join(run, "small", "metrics.jsonl"), "utf8")
      .split("\n")
      .filter((l) => l.includes('"name":"loss"') && l.includes('"split":"train"'))
      .map((l) => (JSON.parse(l) as { value: number }).value);
    expect(losses).toHaveLength(8);
    expect(losses.every(Number.isFinite)).toBe(true);
  }, 240_000);
});
