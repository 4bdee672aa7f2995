// Runs a spec's experiments: every cell of the `vary` grid × `seeds`, each compiled from the spec
// with `--set` overrides (so every variant is checked and derived like the spec itself), trained and
// evaluated by the generated program, then summarised over seeds into a table and a sweep report.
// With --resume, finished cells are kept and cells another live process is running are skipped
// (cell-claim.ts), so several processes started with --resume share one experiment's cells.
import { compileSpec } from "../compiler/compile.js";
import type { IR } from "../compiler/ir.js";
import { cellRun, cells, evaluationsFor, formatExperiment, summarize, writeExperiment, type Cell, type CellResult, type ExperimentSpec } from "../runtime/program/experiment.js";
import type { Run } from "../runtime/program/run.js";
import type { BlockSpec, EvaluationSpec } from "../runtime/program/types.js";
import type { EvaluationResult } from "../runtime/pipeline/evaluate-model.js";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../runtime/fs/atomic-write.js";
import { distillSection, readAnalyses } from "../runtime/program/distill-experiment.js";
import { claimCell } from "../runtime/program/cell-claim.js";
import { blockKeys } from "../runtime/program/shared-blocks.js";
import type { DistillAnalysis } from "../runtime/program/stages-distill.js";
import { diskHost } from "./host.js";
import type { CommandIO } from "./io.js";
import { reportDiagnostics } from "./report-diagnostics.js";

export interface ExperimentProgram {
  blocksOf(byName: Record<string, BlockSpec>): unknown;
  trainAndEvaluate(run: Run, blocks: unknown, evaluations: EvaluationSpec[]): Promise<EvaluationResult[]>;
}

/** Overrides that give seed number `s` of a cell: every training seed, and synthetic data seeds. */
export function seedSets(ir: IR, s: number): string[] {
  const sets: string[] = [];
  for (const b of ir.blocks) {
    if (b.train) sets.push(`${b.name}.train.seed=${Number(b.train.seed) + s}`);
    if (b.kind === "dataset" && b.type === "synthetic") sets.push(`${b.name}.seed=${Number(b.attributes.seed) + s}`);
  }
  return sets;
}

export async function runExperiments(
  spec: string,
  ir: IR,
  program: ExperimentProgram,
  run: Run,
  options: { set?: string[]; only?: readonly string[] },
  io: CommandIO,
): Promise<boolean> {
  for (const experiment of ir.experiments as unknown as ExperimentSpec[]) {
    if (options.only?.length && !options.only.includes(experiment.name)) continue;
    const grid = cells(experiment);
    run.log(`\nexperiment ${experiment.name}: ${grid.length} configurations × ${experiment.seeds} seeds`);
    const results: CellResult[] = [];
    let elsewhere = 0;
    const analyses = new Map<Cell, DistillAnalysis[]>();
    for (const [index, cell] of grid.entries()) {
      for (let s = 0; s < experiment.seeds; s++) {
        // Vary values first, then the seed: a `vary` of a seed is overridden by the seed loop only
        // when the spec did not vary it.
        const varied = compileSpec(spec, diskHost, { set: [...(options.set ?? []), ...cell.sets] });
        const compiled = varied.ir ? compileSpec(spec, diskHost, { set: [...(options.set ?? []), ...cell.sets, ...seedSets(varied.ir, s)] }) : varied;
        if (!compiled.ir) {
          reportDiagnostics(compiled.diagnostics, compiled.sources, "text", io);
          return false;
        }
        const byName = Object.fromEntries(compiled.ir.blocks.map((b) => [b.name, b as unknown as BlockSpec]));
        const label = Object.entries(cell.config).map(([k, v]) => `${k}=${v}`).join(" ");
        run.log(`cell ${index + 1}/${grid.length} (${label}), seed ${s + 1}/${experiment.seeds}`);
        const child = cellRun(run, experiment.name, index, s);
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
        const evaluations = evaluationsFor(experiment, compiled.ir.evaluations as unknown as EvaluationSpec[]);
        const shared = { dir: join(run.dir, "experiments", ".shared"), keys: blockKeys(compiled.ir.blocks) };
        const quiet = { ...child, log: () => undefined, progress: nullStream, shared };
        let cellResults: EvaluationResult[];
        try {
          cellResults = await program.trainAndEvaluate(quiet, program.blocksOf(byName), evaluations);
          writeFileAtomic(done, `${JSON.stringify(cellResults)}\n`);
        } finally {
          claim.release();
        }
        results.push({ cell, seed: s, results: cellResults });
        collectAnalyses();
      }
    }
    if (elsewhere > 0) {
      run.log(
        `\nexperiment ${experiment.name}: ${elsewhere} of ${grid.length * experiment.seeds} runs are in other processes; ` +
          `once they finish, the same command with --resume writes the summary and the report`,
      );
      continue;
    }
    const rows = summarize(experiment, results);
    run.log(`\n${formatExperiment(experiment.name, rows)}`);
    const section = distillSection([...analyses].map(([cell, found]) => ({ config: cell.config, analyses: found })));
    if (section) run.log(`\n${formatExperiment(`${experiment.name}: ${section.title.toLowerCase()}`, section.rows)}`);
    run.log(`report: ${await writeExperiment(run, experiment, results, rows, section ? [section] : [])}`);
  }
  return true;
}

/** A finished cell's evaluation results, in its folder, so `--resume` need not run it again. */
const CELL_RESULT_FILE = "cell-result.json";

/** Progress of the many cell runs would drown the summary; the per-cell line says where we are. */
const nullStream = { write: () => true, isTTY: false } as unknown as NodeJS.WritableStream;
