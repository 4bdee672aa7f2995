// The distillation analyses of an experiment's cells (stages-distill.ts writes one per distilled
// block and cell): read back from each cell's folder, summarised over seeds like the metrics — the
// correlation of the student's gradient re-weighting with teacher confidence (instance effect) and
// of the student's item similarity with the teacher's (geometry effect) — and handed to the plots.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { VegaLiteSpec } from "../report/chart-theme.js";
import { configLabel } from "../report/config-label.js";
import { reweightingChartSpec, similarityChartSpec, type CellAnalyses } from "../report/distill-analysis-charts.js";
import type { ExperimentRow, ExperimentSection } from "../report/report-data.js";
import { meanInterval } from "./experiment.js";
import { ANALYSIS_FILE, type DistillAnalysis } from "./stages-distill.js";

/** The analyses a cell's run wrote, one per distilled block, in block-name order. */
export function readAnalyses(cellDir: string): DistillAnalysis[] {
  if (!existsSync(cellDir)) return [];
  return readdirSync(cellDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(cellDir, d.name, ANALYSIS_FILE)))
    .map((d) => d.name)
    .sort()
    .map((name) => JSON.parse(readFileSync(join(cellDir, name, ANALYSIS_FILE), "utf8")) as DistillAnalysis);
}

export interface AnalysedCell {
  readonly config: Record<string, string>;
  /** One per seed that produced an analysis. */
  readonly analyses: readonly DistillAnalysis[];
}

export const REWEIGHTING_METRIC = "r(teacher confidence, gradient ratio)";
export const SIMILARITY_METRIC = "r(teacher, student item similarity)";

/** Per cell and distilled block: both correlations as mean and 95% interval over seeds. */
export function analysisRows(cells: readonly AnalysedCell[]): ExperimentRow[] {
  const rows: ExperimentRow[] = [];
  for (const cell of cells) {
    const blocks = [...new Set(cell.analyses.map((a) => a.block))];
    for (const block of blocks) {
      const mine = cell.analyses.filter((a) => a.block === block);
      const config = blocks.length > 1 ? { ...cell.config, model: block } : { ...cell.config };
      const add = (metric: string, slice: string, values: number[]) => {
        const finite = values.filter(Number.isFinite);
        if (finite.length > 0) rows.push({ config, metric, slice, seeds: finite.length, ...meanInterval(finite) });
      };
      add(
        REWEIGHTING_METRIC,
        "train sample",
        mine.map((a) => a.reweighting.correlation),
      );
      add(
        SIMILARITY_METRIC,
        "item sample",
        mine.map((a) => a.similarity.correlation),
      );
    }
  }
  return rows;
}

/** The report section of the analyses, or null when no cell distilled anything. */
export function distillSection(cells: readonly AnalysedCell[]): ExperimentSection | null {
  const charted: CellAnalyses[] = cells.filter((c) => c.analyses.length > 0).map((c) => ({ config: configLabel(c.config), analyses: c.analyses }));
  if (charted.length === 0) return null;
  const charts = [reweightingChartSpec(charted), similarityChartSpec(charted)].filter((c): c is VegaLiteSpec => c !== null);
  return {
    title: "Distillation analysis",
    note:
      "Instance effect: Pearson r between the teacher's probability of the true item and the student's gradient ratio " +
      "|∂KD/∂z_y| / |∂CE/∂z_y| over a seeded sample of training examples. Geometry effect: Pearson r between the " +
      "teacher's and the student's output-layer cosine similarities over pairs of a sample of items (most popular first). " +
      "Means and 95% intervals over seeds.",
    rows: analysisRows(cells),
    charts,
  };
}
