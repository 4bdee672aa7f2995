// Runs a spec's experiments: every cell of the `vary` grid × `seeds`, as the compiler expanded them
// into the IR (each checked and derived like the spec itself), each trained and evaluated by its own
// generated program (cell-program.ts), then summarised over seeds into a table and a sweep report.
// With --resume, finished cells are kept by configuration (cell-results.ts: a cell whose `vary`
// values changed re-runs, and the log says which were kept and which re-run), and cells another
// live process is running are skipped (cell-claim.ts), so several processes started with --resume
// share one experiment's cells.
import type { IR } from "../ir/index.js";
import {
  cellRun,
  cells,
  formatExperiment,
  summarize,
  writeExperiment,
  type Cell,
  type CellResult,
  type ExperimentSpec,
} from "../runtime/program/experiment.js";
import type { Run } from "../runtime/program/run.js";
import { cellProgram } from "./cell-program.js";
import type { EvaluationResult } from "../runtime/pipeline/evaluate-model.js";
import { join } from "node:path";
import { cellKey, prepareCellFolder, storeCell, storedCells } from "../runtime/program/cell-results.js";
import { distillSection, readAnalyses } from "../runtime/program/distill-experiment.js";
import { claimCell } from "../runtime/program/cell-claim.js";
import { blockKeys } from "../runtime/program/shared-blocks.js";
import type { DistillAnalysis } from "../runtime/program/stages-distill.js";

export async function runExperiments(ir: IR, run: Run, options: { only?: readonly string[] }): Promise<void> {
  for (const experiment of ir.experiments) {
    if (options.only?.length && !options.only.includes(experiment.name)) continue;
    const spec: ExperimentSpec = experiment;
    const grid = cells(spec);
    run.log(`\nexperiment ${experiment.name}: ${grid.length} configurations × ${experiment.seeds} seeds`);
    const results: CellResult[] = [];
    let elsewhere = 0;
    const analyses = new Map<Cell, DistillAnalysis[]>();
    // Finished cells are found by configuration (cell-results.ts), so a changed `vary` list keeps
    // only the cells whose configuration is unchanged, wherever they now are in the grid.
    const experimentDir = join(run.dir, "experiments", experiment.name);
    const stored = run.resume ? storedCells(experimentDir) : new Map();
    const tally = { kept: 0, changed: 0, unfinished: 0, fresh: 0 };
    // The compiler expanded every cell × seed into its own blocks and evaluations.
    for (const expanded of experiment.cells) {
      const cell = grid[expanded.index];
      const s = expanded.seed;
      const label = Object.entries(cell.config)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ");
      run.log(`cell ${expanded.index + 1}/${grid.length} (${label}), seed ${s + 1}/${experiment.seeds}`);
      const child = cellRun(run, experiment.name, expanded.index, s);
      const key = cellKey(expanded);
      // `--resume` keeps the cells an interrupted experiment finished with this same configuration.
      const finished = stored.get(key);
      if (finished !== undefined) {
        results.push({ cell, seed: s, results: finished.results });
        const where =
          finished.dir === child.dir ? "" : finished.index !== expanded.index ? ` as cell ${finished.index + 1} (same configuration)` : " (same configuration)";
        run.log(`  done in the interrupted run${where}; kept`);
        analyses.set(cell, [...(analyses.get(cell) ?? []), ...(finished.analyses ?? readAnalyses(finished.dir))]);
        tally.kept++;
        continue;
      }
      // Another process started with --resume on this run may be training the cell right now.
      const claim = claimCell(child.dir);
      if ("heldBy" in claim) {
        run.log(`  being run by process ${claim.heldBy}; skipped`);
        elsewhere++;
        continue;
      }
      // The folder may hold another configuration's work (the `vary` list changed): emptied first.
      const before = prepareCellFolder(child.dir, experimentDir, expanded, key);
      if (before.state === "changed") {
        const was =
          before.was === null
            ? "an unknown configuration"
            : Object.entries(before.was)
                .map(([k, v]) => `${k}=${v}`)
                .join(" ");
        run.log(`  its folder held ${was}; the configuration changed, so it runs from the start`);
        tally.changed++;
      } else if (before.state === "same") {
        if (run.resume) run.log("  unfinished in the interrupted run; continues from its checkpoints");
        tally.unfinished++;
      } else tally.fresh++;
      const shared = { dir: join(run.dir, "experiments", ".shared"), keys: blockKeys(expanded.blocks) };
      const quiet = { ...child, log: () => undefined, results: () => undefined, progress: nullStream, shared };
      let cellResults: EvaluationResult[];
      try {
        // The cell runs its own program, generated from its own IR: its blocks, and its evaluations
        // (extended with what the report needs) as the program's own.
        const cellIr: IR = { ...ir, blocks: expanded.blocks, evaluations: expanded.evaluations, experiments: [] };
        const { program } = await cellProgram(cellIr);
        cellResults = await program.trainAndEvaluate(quiet);
        storeCell(child.dir, { key, index: expanded.index, seed: s, config: expanded.config, results: cellResults, analyses: readAnalyses(child.dir) });
      } finally {
        claim.release();
      }
      results.push({ cell, seed: s, results: cellResults });
      analyses.set(cell, [...(analyses.get(cell) ?? []), ...readAnalyses(child.dir)]);
    }
    if (run.resume) {
      run.log(
        `\nexperiment ${experiment.name}: ${tally.kept} of ${experiment.cells.length} runs kept from the interrupted run; ` +
          `${tally.changed} re-run because their configuration changed, ${tally.unfinished} continued, ${tally.fresh} new`,
      );
    }
    if (elsewhere > 0) {
      run.log(
        `\nexperiment ${experiment.name}: ${elsewhere} of ${grid.length * experiment.seeds} runs are in other processes; ` +
          `once they finish, the same command with --resume writes the summary and the report`,
      );
      continue;
    }
    const rows = summarize(spec, results);
    (run.results ?? run.log)(`\n${formatExperiment(experiment.name, rows)}`);
    const section = distillSection([...analyses].map(([cell, found]) => ({ config: cell.config, analyses: found })));
    if (section) (run.results ?? run.log)(`\n${formatExperiment(`${experiment.name}: ${section.title.toLowerCase()}`, section.rows)}`);
    run.log(`report: ${await writeExperiment(run, spec, results, rows, section ? [section] : [])}`);
  }
}

/** Progress of the many cell runs would drown the summary; the per-cell line says where we are. */
const nullStream = { write: () => true, isTTY: false } as unknown as NodeJS.WritableStream;
