// Names and paths from a spec in the HTML reports: a spec path, model names and sweep labels full of
// markup stay text, and a sweep label that is also a member of Object.prototype (a param called
// `constructor` or `toString`) is only a label: rows without it show "–", never Object's function.
import { describe, expect, it } from "vitest";
import { experimentChartSpec } from "../../../src/runtime/report/experiment-chart.js";
import { experimentTable } from "../../../src/runtime/report/experiment-table.js";
import type { ExperimentRow, ReportData } from "../../../src/runtime/report/index.js";
import { renderReport } from "../../../src/runtime/report/write-report.js";
import { formatExperiment } from "../../../src/runtime/program/experiment.js";

const MARKUP = `x"'><img src=x onerror=alert(1)></script><!--*/`;

const row = (config: Record<string, string | number>, mean: number): ExperimentRow => ({
  config,
  metric: "ndcg@10",
  slice: "all",
  seeds: 2,
  mean,
  low: mean - 0.01,
  high: mean + 0.01,
});

describe("spec names and paths in the reports", () => {
  it("keeps a hostile spec path and model name as text in the run report", async () => {
    const data: ReportData = {
      title: `run of ${MARKUP}`,
      spec: `/tmp/${MARKUP}/y*/;await import("x")/*.recspec`,
      backend: "cpu",
      metrics: [],
      results: [
        { metric: "hr@10", slice: "all", model: MARKUP, mean: 0.5, low: 0.4, high: 0.6, n: 10 },
        { metric: "hr@10", slice: "all", model: "constructor", mean: 0.4, low: 0.3, high: 0.5, n: 10 },
      ],
    };
    const html = await renderReport(data);
    const body = html.slice(html.indexOf("<body>"), html.indexOf('<script id="recspec-charts"'));
    expect(body).not.toContain("<img");
    expect(body).not.toContain("</script");
    expect(body).toContain("&#60;img src=x onerror=alert(1)&#62;");
    expect(body).toContain("<td>constructor</td>");
  });

  it("shows a missing `constructor` or `toString` label as – in the sweep table", () => {
    const table = experimentTable([row({ constructor: "a", toString: 1 }, 0.1), row({ dim: 8 }, 0.2)]);
    const lines = table.split("\n").filter((l) => l.startsWith("<tr>"));
    expect(lines[1]).toBe(
      '<tr><td>–</td><td>–</td><td>8</td><td>ndcg@10</td><td>all</td><td class="num">2</td><td class="num">0.2000 [0.1900, 0.2100]</td></tr>',
    );
    expect(table).not.toContain("function");
  });

  it("labels sweep configurations by their own keys only", () => {
    const spec = experimentChartSpec([row({ constructor: "a" }, 0.1), row({ constructor: "b" }, 0.2), row({}, 0.3)], "ndcg@10")!;
    const values = (spec.data as { values: { config: string }[] }).values.map((v) => v.config);
    expect(values).toEqual(["constructor=a", "constructor=b", "default"]);
  });

  it("leaves a missing `toString` label empty in the terminal summary too", () => {
    const text = formatExperiment("sweep", [row({ toString: "a" }, 0.1), row({ dim: 8 }, 0.2)]);
    expect(text).not.toContain("function");
    expect(text.split("\n").find((l) => l.includes("0.2000"))).toMatch(/^\s+8\s+ndcg@10/);
  });
});
