import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { experimentCharts, experimentReport, renderExperimentReport } from "../../../src/runtime/report/index.js";
import { inlinedSpecs, remoteReferences, sampleSweep, scripts } from "./report-fixtures.js";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe("experimentReport", () => {
  it("writes report.html atomically and returns its path", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "recspec-sweep-"));
    dirs.push(dir);
    const file = await experimentReport(dir, sampleSweep());
    expect(file).toBe(path.join(dir, "report.html"));
    expect(await readdir(dir)).toEqual(["report.html"]);
    expect(await readFile(file, "utf8")).toBe(await renderExperimentReport(sampleSweep()));
  });

  it("inlines one chart per metric with its rows, and the libraries", async () => {
    const data = sampleSweep();
    const html = await renderExperimentReport(data);
    const specs = inlinedSpecs(html);
    expect(specs).toEqual(JSON.parse(JSON.stringify(Object.fromEntries(experimentCharts(data).map((c) => [c.id, c.spec])))));
    const values = (specs["chart-metric-1"] as { data: { values: Record<string, unknown>[] } }).data.values;
    expect(values).toHaveLength(6);
    expect(values[0]).toEqual({
      config: "dim=32",
      slice: "all",
      mean: expect.closeTo(0.082, 12),
      low: expect.closeTo(0.072, 12),
      high: expect.closeTo(0.092, 12),
      seeds: 3,
    });
    expect(scripts(html)).toHaveLength(5);
    expect(scripts(html)[1].body).toContain('version="6.4.0"');
  });

  it("is self-contained, escaped and deterministic", async () => {
    const html = await renderExperimentReport(sampleSweep());
    expect(remoteReferences(html)).toEqual([]);
    expect(html.match(/<\/script>/g)).toHaveLength(5);
    expect(html).toContain("<h1>dim sweep &#60;/script&#62;</h1>");
    expect(html).toBe(await renderExperimentReport(sampleSweep()));
  });

  it("tabulates config keys as columns with mean and interval", async () => {
    const data = sampleSweep();
    data.rows.push({ config: { dim: 64, dropout: 0.1 }, metric: "recall@10", slice: "all", mean: 0.5, low: NaN, high: NaN, seeds: 1 });
    const html = await renderExperimentReport(data);
    expect(html).toContain("<thead><tr><th>dim</th><th>loss</th><th>dropout</th><th>metric</th>");
    expect(html).toContain(
      '<tr><td>32</td><td>bpr</td><td>–</td><td>recall@10</td><td>all</td><td class="num">3</td><td class="num">0.1020 [0.0920, 0.1120]</td></tr>',
    );
    expect(html).toContain('<tr><td>64</td><td>–</td><td>0.1</td><td>recall@10</td><td>all</td><td class="num">1</td><td class="num">0.5000</td></tr>');
  });
});
