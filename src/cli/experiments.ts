// Runs a spec's experiments: every cell of the `vary` grid × `seeds`, as the compiler expanded them
// into the IR (each checked and derived like the spec itself), each trained and evaluated by its own
// generated program (cell-program.ts), then summarised over seeds into a table and a sweep report.
// With --resume, finished cells are kept and cells another live process is running are skipped
// (cell-claim.ts), so several processes started with --resume share one experiment's cells.
import type { IR } from "../ir/index.js";
import { cellRun, cells, formatExperiment, summarize, writeExperiment, type Cell, type CellResult, type ExperimentSpec } from "../runtime/program/experiment.js";
import type { Run } from "../runtime/program/run.js";
import { cellProgram } from "./cell-program.js";
import type { EvaluationResult } from "../runtime/pipeline/evaluate-model.js";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../runtime/fs/atomic-write.js";
import { distillSection, readAnalyses } from "../runtime/program/distill-experiment.js";
import { claimCell } from "../runtime/program/cell-claim.js";
import { blockKeys } from "../runtime/program/shared-blocks.js";
import type { DistillAnalysis } from "../runtime/program/stages-distill.js";

export async function runExperiments(ir: IR, run: Run, options: { only?: readonly string[] }): Promise<void> {
  for (const experiment of ir.experiments) {
    if (options.only?.length && !options.only.includes(experiment.name)) continue;
    const spec = experiment as unknown as ExperimentSpec;
    const grid = cells(spec);
    run.log(`\nexperiment ${experiment.name}: ${grid.length} configurations × ${experiment.seeds} seeds`);
    const results: CellResult[] = [];
    let elsewhere = 0;
    const analyses = new Map<Cell, DistillAnalysis[]>();
    // The compiler expanded every cell × seed into its own blocks and evaluations.
    for (const expanded of experiment.cells) {
      const cell = grid[expanded.index];
      const s = expanded.seed;
      const label = Object.entries(cell.config).map(([k, v]) => `${k}=${v}`).join(" ");
      run.log(`cell ${expanded.index + 1}/${grid.length} (${label}), seed ${s + 1}/${experiment.seeds}`);
      const child = cellRun(run, experiment.name, expanded.index, s);
      // Distilled blocks leave their analyses in the cell's folder (also when the cell is kept).
      const collectAnalyses = () => analyses.set(cell, [...(analyses.get(cell) ?? []), ...readAnalyses(child.dir)]);
      const done = join(child.dir, CELL_RESULT_FILE);
      // `--resume` keeps the cells an interrupted experiment finished.
      if (run.resume && existsSync(done)) {
        results.push({ cell, seed: s, results: JSON.parse(readFileSync(done, "utf8")) as EvaluationResult[] });
        run.log("  done in the interrupted run; kept");
        collectAnalyses();
        continue;
      }
      // Another process started with --resume on this run may be training the cell right now.
      const claim = claimCell(child.dir);
      if ("heldBy" in claim) {
        run.log(`  being run by process ${claim.heldBy}; skipped`);
        elsewhere++;
        continue;
      }
      const shared = { dir: join(run.dir, "experiments", ".shared"), keys: blockKeys(expanded.blocks) };
      const quiet = { ...child, log: () => undefined, progress: nullStream, shared };
      let cellResults: EvaluationResult[];
      try {
        // The cell runs its own program, generated from its own IR: its blocks, and its evaluations
        // (extended with what the report needs) as the program's own.
        const cellIr: IR = { ...ir, blocks: expanded.blocks, evaluations: expanded.evaluations, experiments: [] };
        const { program } = await cellProgram(cellIr);
        cellResults = await program.trainAndEvaluate(quiet);
        writeFileAtomic(done, `${JSON.stringify(cellResults)}\n`);
      } finally {
        claim.release();
      }
      results.push({ cell, seed: s, results: cellResults });
      collectAnalyses();
    }
    if (elsewhere > 0) {
      run.log(
        `\nexperiment ${experiment.name}: ${elsewhere} of ${grid.length * experiment.seeds} runs are in other processes; ` +
          `once they finish, the same command with --resume writes the summary and the report`,
      );
      continue;
    }
    const rows = summarize(spec, results);
    run.log(`\n${formatExperiment(experiment.name, rows)}`);
    const section = distillSection([...analyses].map(([cell, found]) => ({ config: cell.config, analyses: found })));
    if (section) run.log(`\n${formatExperiment(`${experiment.name}: ${section.title.toLowerCase()}`, section.rows)}`);
    run.log(`report: ${await writeExperiment(run, spec, results, rows, section ? [section] : [])}`);
  }
}

/** A finished cell's evaluation results, in its folder, so `--resume` need not run it again. */
const CELL_RESULT_FILE = "cell-result.json";

/** Progress of the many cell runs would drown the summary; the per-cell line says where we are. */
const nullStream = { write: () => true, isTTY: false } as unknown as NodeJS.WritableStream;
