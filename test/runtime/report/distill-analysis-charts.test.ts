import { compile, type TopLevelSpec } from "vega-lite";
import { describe, expect, it } from "vitest";
import { reweightingChartSpec, similarityChartSpec, type CellAnalyses } from "../../../src/runtime/report/distill-analysis-charts.js";
import { analysisRows, REWEIGHTING_METRIC } from "../../../src/runtime/program/distill-experiment.js";
import type { DistillAnalysis } from "../../../src/runtime/program/stages-distill.js";

function analysis(correlation: number, ratios: (number | null)[]): DistillAnalysis {
  const bins = ratios.map((meanRatio, i) => ({
    from: i / ratios.length,
    to: (i + 1) / ratios.length,
    count: 1,
    meanTeacherProb: (i + 1) / 10,
    meanStudentProb: 0.1,
    meanRatio,
  }));
  const m = [
    [1, 0.5, -0.2],
    [0.5, 1, 0.1],
    [-0.2, 0.1, 1],
  ];
  return {
    block: "student",
    teacher: "teacher",
    temperature: 4,
    alpha: 0.9,
    transform: "full",
    reweighting: { temperature: 1, transform: "full", examples: 10, bins, quantileBins: bins, correlation },
    similarity: { items: [1, 2, 3], teacher: m, student: m, correlation: 1, meanTeacherCosine: 0.13, meanStudentCosine: 0.13 },
  } as DistillAnalysis;
}

function warnings(spec: unknown): string[] {
  const messages: string[] = [];
  const record = (...args: unknown[]) => (messages.push(args.join(" ")), logger);
  const logger = { level: () => logger, error: record, warn: record, info: () => logger, debug: () => logger };
  compile(spec as TopLevelSpec, { logger: logger as never });
  return messages;
}

describe("distillation analysis", () => {
  const cells: CellAnalyses[] = [
    { config: "teacher_transform=full", analyses: [analysis(0.9, [1, 2]), analysis(0.7, [3, null])] },
    { config: "teacher_transform=pt", analyses: [analysis(0.1, [0.5, 0.5])] },
  ];

  it("averages each confidence bin's ratio over the seeds that have it", () => {
    const spec = reweightingChartSpec(cells)!;
    const values = (spec.data as { values: { config: string; ratio: number; seeds: number }[] }).values;
    expect(values.filter((v) => v.config === "teacher_transform=full").map((v) => [v.ratio, v.seeds])).toEqual([
      [2, 2],
      [2, 1],
    ]);
    expect(warnings(spec)).toEqual([]);
  });

  it("plots each item pair once per configuration (upper triangle)", () => {
    const spec = similarityChartSpec(cells)!;
    const values = (spec.data as { values: { config: string; teacher: number }[] }).values;
    expect(values.filter((v) => v.config === "teacher_transform=pt").map((v) => v.teacher)).toEqual([0.5, -0.2, 0.1]);
    expect(warnings(spec)).toEqual([]);
  });

  it("summarises the correlations over seeds", () => {
    const rows = analysisRows([{ config: { teacher_transform: "full" }, analyses: cells[0].analyses as DistillAnalysis[] }]);
    const r = rows.find((row) => row.metric === REWEIGHTING_METRIC)!;
    expect(r.seeds).toBe(2);
    expect(r.mean).toBeCloseTo(0.8, 12);
    // t(1) = 12.706, s = √0.02, n = 2.
    expect(r.high - r.mean).toBeCloseTo(12.706 * Math.sqrt(0.02 / 2), 9);
  });
});
