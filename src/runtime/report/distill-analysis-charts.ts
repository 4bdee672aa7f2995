// The two plots of a distillation experiment (PAPERS.md §4). Takes each cell's distill analyses
// (one per seed); gives vega-lite specs:
// (a) instance effect: the student's gradient re-weighting |∂KL/∂z_y| / |∂CE/∂z_y| against the
//     teacher's confidence in the true item, by equal-count bins, averaged over seeds, one line per
//     configuration;
// (b) geometry effect: cosine similarity of item pairs in the student's output layer against the
//     teacher's, for the first seed of each configuration (a sample of the pairs), one panel each.
import { chartConfig, ordered, type VegaLiteSpec } from "./chart-theme.js";

/** The fields of a distill-analysis.json the plots read. */
export interface AnalysisForChart {
  readonly reweighting: { readonly quantileBins: readonly { readonly meanTeacherProb: number; readonly meanRatio: number | null }[] };
  readonly similarity: { readonly teacher: readonly (readonly number[])[]; readonly student: readonly (readonly number[])[] };
}

export interface CellAnalyses {
  /** The configuration's label, e.g. "teacher_transform=pt". */
  readonly config: string;
  /** One analysis per seed, in seed order. */
  readonly analyses: readonly AnalysisForChart[];
}

export function reweightingChartSpec(cells: readonly CellAnalyses[]): VegaLiteSpec | null {
  const values = cells.flatMap((cell) => {
    const bins = cell.analyses[0]?.reweighting.quantileBins ?? [];
    return bins.flatMap((_, b) => {
      const ratios = cell.analyses.map((a) => a.reweighting.quantileBins[b]?.meanRatio).filter((r): r is number => typeof r === "number" && Number.isFinite(r));
      if (ratios.length === 0) return [];
      const confidence = cell.analyses.reduce((s, a) => s + (a.reweighting.quantileBins[b]?.meanTeacherProb ?? 0), 0) / cell.analyses.length;
      return [{ config: cell.config, confidence, ratio: ratios.reduce((s, r) => s + r, 0) / ratios.length, seeds: ratios.length }];
    });
  });
  if (values.length === 0) return null;
  return {
    config: chartConfig,
    title: "Instance effect: student gradient re-weighting against teacher confidence (equal-count bins, mean over seeds)",
    data: { values },
    width: 860,
    height: 260,
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "confidence", type: "quantitative", title: "teacher probability of the true item (bin mean)", scale: { type: "log" } },
      y: { field: "ratio", type: "quantitative", title: "|∂KD/∂z_y| / |∂CE/∂z_y|" },
      color: { field: "config", type: "nominal", title: null, sort: ordered(values.map((v) => v.config)) },
      tooltip: [
        { field: "config", type: "nominal" },
        { field: "confidence", type: "quantitative", format: ".4f" },
        { field: "ratio", type: "quantitative", format: ".3f" },
        { field: "seeds", type: "quantitative" },
      ],
    },
  };
}

/** Item pairs plotted per configuration at most (an evenly spaced subset of the upper triangle). */
const PAIRS_PER_PANEL = 800;

export function similarityChartSpec(cells: readonly CellAnalyses[]): VegaLiteSpec | null {
  const values = cells.flatMap((cell) => {
    const first = cell.analyses[0];
    if (first === undefined) return [];
    const { teacher, student } = first.similarity;
    const pairs: [number, number][] = [];
    for (let i = 0; i < teacher.length; i++) for (let j = i + 1; j < teacher.length; j++) pairs.push([i, j]);
    const step = Math.max(1, Math.ceil(pairs.length / PAIRS_PER_PANEL));
    return pairs.filter((_, k) => k % step === 0).map(([i, j]) => ({ config: cell.config, teacher: teacher[i][j], student: student[i][j] }));
  });
  if (values.length === 0) return null;
  return {
    config: chartConfig,
    title: "Geometry effect: item-pair cosine similarity in the output layer, student against teacher (first seed)",
    data: { values },
    facet: { field: "config", type: "nominal", title: null, sort: ordered(values.map((v) => v.config)) },
    columns: 3,
    spec: {
      width: 260,
      height: 220,
      mark: { type: "point", size: 8, opacity: 0.4, filled: true },
      encoding: {
        x: { field: "teacher", type: "quantitative", title: "teacher cosine", scale: { domain: [-1, 1] } },
        y: { field: "student", type: "quantitative", title: "student cosine", scale: { domain: [-1, 1] } },
      },
    },
  };
}
