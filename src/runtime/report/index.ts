// Public entry of the report module. Takes nothing; gives writeReport (one run) and
// experimentReport (a sweep), their input types, and the chart spec builders for reuse and tests.
export { writeReport, renderReport, reportCharts, REPORT_FILE } from "./write-report.js";
export { experimentReport, renderExperimentReport, experimentCharts } from "./experiment-report.js";
export { lossChartSpec } from "./loss-chart.js";
export { validationChartSpec } from "./validation-chart.js";
export { sliceResultsChartSpec } from "./slice-results-chart.js";
export { experimentChartSpec } from "./experiment-chart.js";
export { reweightingChartSpec, similarityChartSpec, type CellAnalyses } from "./distill-analysis-charts.js";
export type { ExperimentData, ExperimentRow, ExperimentSection, IntervalValue, MetricRecord, ReportData, ReportEvalRow } from "./report-data.js";
