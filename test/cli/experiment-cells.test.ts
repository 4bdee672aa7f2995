// Each experiment cell runs its own program, compiled from the cell's overrides: a `vary` that swaps
// a model's user tower for one of another shape trains towers of that shape (it once trained the base
// spec's tower in every cell), and every cell of every example spec compiles to a program of its own.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { compileSpec } from "../../src/compiler/compile.js";
import { diskHost } from "../../src/cli/host.js";
import { generate } from "../../src/compiler/codegen/index.js";

const BIN = resolve("bin/recspec.js");

/** Parameter name → shape of a saved model (the tfjs weights manifest). */
function savedShapes(modelJson: string): Map<string, number[]> {
  const manifest = JSON.parse(readFileSync(modelJson, "utf8")) as { weightsManifest: { weights: { name: string; shape: number[] }[] }[] };
  return new Map(manifest.weightsManifest.flatMap((g) => g.weights.map((w) => [w.name, w.shape] as const)));
}

describe("experiment cells", () => {
  it("a vary over user towers trains each cell's own tower", () => {
    const cwd = mkdtempSync(join(tmpdir(), "recspec-cells-"));
    copyFileSync(resolve("test/fixtures/specs/vary-towers.recspec"), join(cwd, "vary-towers.recspec"));
    const r = spawnSync(process.execPath, [BIN, "run", "vary-towers.recspec", "--experiment", "towers", "--backend", "wasm"], { cwd, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const root = join(cwd, "runs", "vary_towers");
    const run = join(root, readdirSync(root)[0], "experiments", "towers");
    const small = savedShapes(join(run, "cell-001", "seed-0", "mur", "model", "model.json"));
    const big = savedShapes(join(run, "cell-002", "seed-0", "mur", "model", "model.json"));
    // The multi-interest extractor's queries: one row per interest, as each cell's tower declares.
    expect(small.get("user_tower/interests/queries")).toEqual([2, 8]);
    expect(big.get("user_tower/interests/queries")).toEqual([4, 8]);
    expect(r.stderr).toMatch(/user=small.*\n[\s\S]*user=big/);
  });

  const specs = readdirSync("specs").filter((f) => f.endsWith(".recspec"));
  it.each(specs)("every cell of %s gets its own program, generated from the cell's IR", async (file) => {
    const base = compileSpec(join("specs", file), diskHost);
    expect(base.ir).not.toBeNull();
    const ir = base.ir!;
    for (const experiment of ir.experiments) {
      const programs = new Set<string>();
      const configurations = new Set<string>();
      for (const cell of experiment.cells.filter((c) => c.seed === 0)) {
        // The varied attribute holds the cell's value in the cell's blocks …
        for (const v of experiment.vary) {
          const [block, ...path] = v.target.split(".");
          const label = v.target.split(".").slice(1).join(".") || v.target;
          const value = path.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], cell.blocks.find((b) => b.name === block)!.attributes);
          expect(value, `${v.target} in ${file}`).toEqual(v.values[v.texts.indexOf(cell.config[label])]);
        }
        // … and the program generated from them differs from every other configuration's.
        const files = await generate({ ...ir, blocks: cell.blocks, evaluations: cell.evaluations, experiments: [] });
        programs.add(files.find((f) => f.name === "model.ts")!.text.replace(/content hash: \S+/, ""));
        configurations.add(JSON.stringify(cell.config));
      }
      expect(programs.size, `${file} ${experiment.name}`).toBe(configurations.size);
    }
  });
});
