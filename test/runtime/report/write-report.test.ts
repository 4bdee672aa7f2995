import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderReport, reportCharts, writeReport } from "../../../src/runtime/report/index.js";
import { vegaBundlePath } from "../../../src/runtime/report/vega-bundles.js";
import { inlinedSpecs, remoteReferences, sampleReport, scripts } from "./report-fixtures.js";

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "recspec-report-"));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe("writeReport", () => {
  it("writes report.html atomically, returns its path and leaves no temp files", async () => {
    const dir = await tempDir();
    const file = await writeReport(dir, sampleReport());
    expect(file).toBe(path.join(dir, "report.html"));
    expect(await readdir(dir)).toEqual(["report.html"]);
    // Overwriting an existing report goes through the same temp-and-rename path.
    await writeReport(dir, { ...sampleReport(), title: "second" });
    expect(await readdir(dir)).toEqual(["report.html"]);
    expect(await readFile(file, "utf8")).toContain("<title>second</title>");
  });

  it("creates a missing run directory", async () => {
    const dir = path.join(await tempDir(), "runs", "a");
    const file = await writeReport(dir, sampleReport());
    expect((await readFile(file, "utf8")).startsWith("<!DOCTYPE html>")).toBe(true);
  });

  it("inlines the chart specs with their data", async () => {
    const data = sampleReport();
    const html = await renderReport(data);
    const specs = inlinedSpecs(html);
    expect(Object.keys(specs)).toEqual(["chart-loss", "chart-validation", "chart-learning-curve", "chart-test"]);
    // Parsed back, the inlined JSON is exactly the specs built in TypeScript.
    expect(specs).toEqual(JSON.parse(JSON.stringify(Object.fromEntries(reportCharts(data).map((c) => [c.id, c.spec])))));
    const values = (id: string) => (specs[id] as { data: { values: Record<string, unknown>[] } }).data.values;
    // Eight logged step losses (the null one is dropped) plus two epoch means of the logged steps.
    expect(values("chart-loss").filter((v) => v.series === "loss per step")).toHaveLength(8);
    expect(
      values("chart-loss")
        .filter((v) => v.series === "epoch mean")
        .map((v) => v.epoch),
    ).toEqual([0, 1]);
    // "valid" and "val" records both count as validation.
    expect(new Set(values("chart-validation").map((v) => v.name))).toEqual(new Set(["ndcg@10", "loss"]));
    const test = values("chart-test");
    expect(test).toContainEqual({ metric: "recall@10", slice: "tail", model: "two_tower", mean: 0.2 + 0.02, low: 0.18 + 0.02, high: 0.22 + 0.02, n: 300 });
    expect(test).toContainEqual({ metric: "recall@10", slice: "tail", model: "popularity", mean: 0.1, low: 0.09, high: 0.11, n: 300 });
    // A missing interval travels as null (never NaN, which is not JSON).
    expect(test).toContainEqual({ metric: "coverage@10", slice: "all", model: "two_tower", mean: 0.4, low: null, high: null, n: 100 });
    // Chart slots exist for every spec.
    for (const id of Object.keys(specs)) expect(html).toContain(`id="${id}"`);
  });

  it("leaves out a chart whose data is absent", async () => {
    const html = await renderReport({ ...sampleReport(), metrics: [] });
    expect(Object.keys(inlinedSpecs(html))).toEqual(["chart-test"]);
    expect(html).toContain("No training loss was logged.");
  });

  it("never lets `</script` appear inside inlined JSON or code", async () => {
    const html = await renderReport(sampleReport());
    const all = scripts(html);
    // Five scripts: the specs, three libraries, the boot script. Had any content held `</script`,
    // the element would end early and this split would find more or broken pieces.
    expect(all).toHaveLength(5);
    for (const s of all) expect(s.body).not.toMatch(/<\/script/i);
    for (const s of all) expect(s.body).not.toContain("<!--");
    expect(html.match(/<\/script>/g)).toHaveLength(5);
    // The hostile title and note are escaped as text, not markup.
    expect(html).not.toContain("<script>alert(1)");
    expect(html).toContain("&#60;/script&#62;&#60;script&#62;alert(1)");
  });

  it("inlines vega, vega-lite and vega-embed from their minified bundles", async () => {
    const html = await renderReport(sampleReport());
    const bodies = scripts(html).map((s) => s.body);
    expect(bodies[1]).toContain(".vega={}");
    expect(bodies[1]).toContain('version="6.4.0"');
    expect(bodies[2]).toContain(".vegaLite={}");
    expect(bodies[3]).toContain("vegaEmbed=");
    // The bundles are inlined whole (they contain no `</script` to escape).
    expect(bodies[1]).toBe(await readFile(vegaBundlePath("vega"), "utf8"));
    expect(bodies[3]).toBe(await readFile(vegaBundlePath("vegaEmbed"), "utf8"));
  });

  it("references nothing on the network", async () => {
    const html = await renderReport(sampleReport());
    expect(remoteReferences(html)).toEqual([]);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/@font-face/i);
    expect(html).not.toMatch(/<script[^>]*\bsrc=/i);
    // No URL anywhere outside the third-party bundles (whose only URLs are XML namespaces and
    // the editor link of the actions menu, which is switched off).
    const ours = scripts(html)
      .filter((_, i) => i === 0 || i === 4)
      .map((s) => s.body);
    const page = html.replace(/<script[^>]*>[\s\S]*?<\/script>/gi, "");
    for (const text of [...ours, page]) expect(text).not.toMatch(/https?:\/\//);
    expect(scripts(html)[4].body).toContain("actions: false");
  });

  it("is deterministic and omits the date unless given", async () => {
    const a = await renderReport(sampleReport());
    const b = await renderReport(sampleReport());
    expect(a).toBe(b);
    expect(a).not.toContain("created");
    const dated = await renderReport({ ...sampleReport(), createdAt: "2025-01-02T03:04:05Z" });
    expect(dated).toContain("<dt>created</dt><dd>2025-01-02T03:04:05Z</dd>");
  });

  it("shows facts, notes, the results table and the collapsed IR as plain HTML", async () => {
    const html = await renderReport(sampleReport());
    const page = html.replace(/<script[^>]*>[\s\S]*?<\/script>/gi, "");
    expect(page).toContain("<dt>spec</dt><dd>specs/quickstart.recspec</dd>");
    expect(page).toContain("<dt>backend</dt><dd>wasm (SIMD)</dd>");
    expect(page).toContain("<dt>training</dt><dd>9 steps over 3 epochs</dd>");
    expect(page).toContain("<li>validation on 2000 sampled users</li>");
    expect(page).toMatch(/<details><summary>[^<]*<\/summary>\s*<pre>\{/);
    expect(page).toContain("&#60;/script&#62;&#60;!-- tricky");
    // One table row per result; the intervals are printed beside the means.
    expect(page.match(/<tbody>[\s\S]*?<\/tbody>/)![0].match(/<tr>/g)).toHaveLength(9);
    expect(page).toContain(
      '<td>recall@10</td><td>tail</td><td class="num">300</td><td class="num">0.2200 [0.2000, 0.2400]</td><td class="num">0.1000 [0.0900, 0.1100]</td>',
    );
    // Non-overlapping intervals are flagged; coverage without intervals is shown as a bare mean.
    expect(page).toMatch(/<td class="num better"[^>]*>\+0\.1200<\/td>/);
    expect(page).toContain('<td class="num">0.4000</td><td class="num">0.0100</td><td class="num">+0.3900</td>');
  });
});
