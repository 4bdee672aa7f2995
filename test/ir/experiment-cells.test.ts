// Experiments lowered as expanded cells: each cell's IR is what compiling the spec with the cell's
// `--set`s gives, the grid and seeds come in the runner's order, and a cell that breaks a rule is
// reported at compile time with the configuration named.
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { diskHost } from "../../src/cli/host.js";
import { compileSpec } from "../../src/compiler/compile.js";
import { gridConfigurations, reportEvaluations, seedSets, type IR } from "../../src/ir/index.js";

const SPECS = readdirSync("specs")
  .filter((f) => f.endsWith(".recspec"))
  .sort();

function irOf(spec: string, set: string[] = []): IR {
  const result = compileSpec(`specs/${spec}`, diskHost, { set });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return result.ir!;
}

describe("experiment cells", () => {
  for (const spec of SPECS) {
    it(`${spec}: each cell is the spec compiled with the cell's overrides`, () => {
      const ir = irOf(spec);
      for (const experiment of ir.experiments) {
        const grid = gridConfigurations(experiment);
        expect(experiment.cells.map((c) => [c.index, c.seed])).toEqual(grid.flatMap((_, i) => Array.from({ length: experiment.seeds }, (_, s) => [i, s])));
        for (const cell of experiment.cells) {
          expect(cell.config).toEqual(grid[cell.index].config);
          const varied = irOf(spec, grid[cell.index].sets);
          expect(cell.sets).toEqual([...grid[cell.index].sets, ...seedSets(varied.blocks, cell.seed)]);
          const compiled = irOf(spec, cell.sets);
          expect(cell.blocks).toEqual(compiled.blocks);
          expect(cell.evaluations).toEqual(reportEvaluations(experiment.report, compiled.evaluations));
        }
      }
    });
  }

  it("labels, overrides and seeds as the runner has them (mur_idw)", () => {
    const [skew, high] = irOf("mur_idw.recspec").experiments;
    expect(skew.cells).toHaveLength(4 * 2 * 1 * 3);
    expect(high.cells).toHaveLength(4 * 3);
    const cell = skew.cells[4];
    expect([cell.index, cell.seed]).toEqual([1, 1]);
    expect(cell.config).toEqual({ item_power: "0.0", interests: "3", weighting: "none" });
    expect(cell.sets).toEqual(["synth.item_power=0.0", "users.interests=3", "mur.weighting=none", "synth.seed=8", "mur.train.seed=1"]);
    const synth = cell.blocks.find((b) => b.name === "synth")!;
    expect([synth.attributes.item_power, synth.attributes.seed]).toEqual([0, 8]);
    expect(cell.blocks.find((b) => b.name === "users")!.attributes.interests).toBe(3);
    expect(cell.blocks.find((b) => b.name === "mur")!.train!.seed).toBe(1);
    // The report asks for hr@10 and ndcg@10 by popularity: each evaluation computes them.
    for (const e of cell.evaluations) {
      expect(e.metrics).toEqual(
        expect.arrayContaining([
          { metric: "hr", k: 10 },
          { metric: "ndcg", k: 10 },
        ]),
      );
      expect(e.slices).toContainEqual({ type: "popularity", head: 0.2 });
    }
    const weighting = high.cells.find((c) => c.index === 3)!.blocks.find((b) => b.name === "mur")!.attributes.weighting;
    expect(weighting).toMatchObject({ type: "idw", calibrate: "user_tower" });
  });

  it("applies the user's --set to every cell, under the cell's own overrides", () => {
    const ir = irOf("mur_idw.recspec", ["mur.train.epochs=2", "synth.item_power=0.25"]);
    for (const cell of ir.experiments[0].cells) {
      const mur = cell.blocks.find((b) => b.name === "mur")!;
      expect(mur.train!.epochs).toBe(2);
      expect(cell.blocks.find((b) => b.name === "synth")!.attributes.item_power).toBe(Number(cell.config.item_power));
    }
  });

  it("reports a configuration that breaks a cross-block rule, naming it, and emits no IR", () => {
    const spec = [
      "spec sweep",
      "dataset synth = synthetic",
      "model m = sequential(synth) { embedding = 64 }",
      "evaluate m on synth.test",
      "experiment heads {",
      "  vary m.encoder in [transformer(heads: 2, causal: true), transformer(heads: 3, causal: true)]",
      "  seeds = 2",
      "}",
    ].join("\n");
    const result = compileSpec("sweep.recspec", { readFile: () => undefined }, { entryText: spec });
    expect(result.ir).toBeNull();
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    // Reported once, not once per seed, with the configuration in a note.
    expect(errors).toHaveLength(1);
    expect(errors[0].code).toBe("RS3002");
    expect(errors[0].notes.at(-1)).toBe("in experiment `heads`, configuration 2 (m.encoder=transformer(heads: 3, causal: true))");
  });

  it("a spec without experiments lowers as before", () => {
    expect(irOf("quickstart.recspec").experiments).toEqual([]);
  });
});
