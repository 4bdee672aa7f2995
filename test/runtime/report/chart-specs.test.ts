import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { describe, expect, it } from "vitest";
import { experimentCharts, reportCharts } from "../../../src/runtime/report/index.js";
import { sampleReport, sampleSweep } from "./report-fixtures.js";

/** Compiles with vega-lite, failing on any warning (e.g. an encoding it had to drop). */
function compileStrict(spec: unknown): vega.Spec {
  const messages: string[] = [];
  const record = (...args: unknown[]) => {
    messages.push(args.join(" "));
    return logger;
  };
  const logger = { level: () => logger, error: record, warn: record, info: () => logger, debug: () => logger };
  const out = compile(spec as TopLevelSpec, { logger: logger as never });
  expect(messages).toEqual([]);
  return out.spec;
}

interface SceneNode {
  marktype?: string;
  name?: string;
  role?: string;
  opacity?: number;
  width?: number;
  items?: SceneNode[];
}

/** Widths of the bars: items of the first layer (whisker caps are rects too, in later layers). */
function barWidths(node: SceneNode): number[] {
  const own = node.marktype === "rect" && /layer_0_marks$/.test(node.name ?? "") ? (node.items ?? []).map((i) => i.width ?? 0) : [];
  return [...own, ...(node.items ?? []).flatMap((item) => (item.items ?? []).flatMap(barWidths))];
}

/**
 * Visible items drawn by data marks of a type (axes, legends and titles are other roles and not
 * counted; whiskers of rows without an interval are drawn transparent and not counted either).
 */
function countItems(node: SceneNode, marktype: string): number {
  const visible = (node.items ?? []).filter((item) => item.opacity !== 0).length;
  let n = node.marktype === marktype && node.role === "mark" ? visible : 0;
  for (const item of node.items ?? []) for (const child of item.items ?? []) n += countItems(child, marktype);
  return n;
}

/** Runs the compiled spec through vega headless, failing on any runtime warning (e.g. empty extents). */
async function render(spec: unknown): Promise<{ scene: SceneNode; svg: string }> {
  const messages: string[] = [];
  const record = (...args: unknown[]) => {
    messages.push(args.join(" "));
    return logger;
  };
  const logger = { level: () => logger, error: record, warn: record, info: () => logger, debug: () => logger };
  const view = new vega.View(vega.parse(compileStrict(spec)), { renderer: "none", logger: logger as never });
  await view.runAsync();
  expect(messages).toEqual([]);
  const scene = (view.scenegraph() as unknown as { root: SceneNode }).root;
  const svg = await view.toSVG();
  view.finalize();
  return { scene, svg };
}

describe("report chart specs", () => {
  const charts = Object.fromEntries(reportCharts(sampleReport()).map((c) => [c.id, c.spec]));

  it("compile with vega-lite without warnings", () => {
    expect(Object.keys(charts)).toHaveLength(4);
    for (const spec of Object.values(charts)) expect(compileStrict(spec).marks?.length).toBeGreaterThan(0);
  });

  it("training loss draws both series, with a point per epoch mean", async () => {
    const { scene, svg } = await render(charts["chart-loss"]);
    // A line mark has one item per vertex: 8 logged steps plus 2 epoch means (the null is dropped).
    expect(countItems(scene, "line")).toBe(10);
    expect(countItems(scene, "symbol")).toBe(2);
    expect(svg).toContain("Training loss");
    expect(svg).toContain("epoch mean");
  });

  it("validation draws one panel per metric", async () => {
    const { scene, svg } = await render(charts["chart-validation"]);
    // Two metrics ("valid" ndcg@10 and "val" loss) over two epochs.
    expect(countItems(scene, "line")).toBe(4);
    expect(countItems(scene, "symbol")).toBe(4);
    expect(svg).toContain("ndcg@10");
  });

  it("the learning curve draws validation ndcg@10 against minutes", async () => {
    const { scene, svg } = await render(charts["chart-learning-curve"]);
    // One ndcg@10 value per epoch, two epochs.
    expect(countItems(scene, "line")).toBe(2);
    expect(svg).toContain("minutes of training");
  });

  it("test results draw model and baseline bars with whiskers where intervals exist", async () => {
    const { scene, svg } = await render(charts["chart-test"]);
    // 9 results and 9 baselines give 18 bars; 16 of them have intervals (coverage has none), and
    // each interval draws a rule plus two caps, which are rect-typed ticks.
    expect(countItems(scene, "rule")).toBe(16);
    expect(countItems(scene, "rect")).toBe(18 + 2 * 16);
    // Each bar gets a real share of its slice's band in every panel, the one-slice coverage panel
    // included (a mis-resolved offset scale once squeezed them to a fraction of a pixel).
    const widths = barWidths(scene);
    expect(widths).toHaveLength(18);
    for (const w of widths) expect(w).toBeGreaterThan(10);
    for (const label of ["recall@10", "coverage@10", "cold_start", "popularity", "two_tower"]) expect(svg).toContain(label);
  });
});

describe("experiment chart specs", () => {
  it("draw one grouped chart per metric, a bar and whisker per configuration and slice", async () => {
    const charts = experimentCharts(sampleSweep());
    expect(charts.map((c) => c.id)).toEqual(["chart-metric-0", "chart-metric-1"]);
    for (const chart of charts) {
      const { scene, svg } = await render(chart.spec);
      expect(countItems(scene, "rule")).toBe(6);
      expect(countItems(scene, "rect")).toBe(6 * 3);
      expect(barWidths(scene)).toHaveLength(6);
      for (const w of barWidths(scene)) expect(w).toBeGreaterThan(10);
      // Groups are named by what varies: loss is bpr in every row, so labels leave it out.
      expect(svg).toContain(">dim=64<");
      expect(svg).not.toContain("loss=bpr");
    }
  });
});
