import { describe, expect, it } from "vitest";
import { curveMetric, learningCurveChartSpec, learningCurvePoints } from "../../../src/runtime/report/learning-curve-chart.js";
import type { MetricRecord } from "../../../src/runtime/report/report-data.js";

const train = (step: number, time: number): MetricRecord => ({ step, epoch: 0, split: "train", name: "loss", value: 1, time });
const val = (step: number, epoch: number, name: string, value: number, time: number): MetricRecord => ({ step, epoch, split: "val", name, value, time });

describe("learning curve", () => {
  it("puts each validation ndcg@10 at the minutes since its model's first logged step", () => {
    const records = [
      train(1, 60_000),
      val(10, 0, "val_loss", 3, 120_000),
      val(10, 0, "val_ndcg@10", 0.02, 120_000),
      train(11, 150_000),
      val(20, 1, "val_ndcg@10", 0.03, 240_000),
      // A second model of the run starts again at step 1, ten minutes later: its clock restarts.
      train(1, 840_000),
      val(5, 0, "val_ndcg@10", 0.05, 870_000),
    ];
    expect(curveMetric(records)).toBe("val_ndcg@10");
    expect(learningCurvePoints(records)).toEqual([
      { minutes: 1, epoch: 1, value: 0.02, series: "model 1" },
      { minutes: 3, epoch: 2, value: 0.03, series: "model 1" },
      { minutes: 0.5, epoch: 1, value: 0.05, series: "model 2" },
    ]);
    const spec = learningCurveChartSpec(records) as unknown as { encoding: Record<string, unknown>; title: string };
    expect(spec.title).toContain("ndcg@10");
    // Two models: one line each, told apart by colour.
    expect(spec.encoding.color).toBeDefined();
  });

  it("falls back to another validation metric than the loss, and is absent without one", () => {
    const recall = [train(1, 0), val(3, 0, "val_loss", 2, 60_000), val(3, 0, "val_recall@20", 0.1, 60_000)];
    expect(curveMetric(recall)).toBe("val_recall@20");
    expect(learningCurvePoints(recall)).toEqual([{ minutes: 1, epoch: 1, value: 0.1, series: "model 1" }]);
    expect(learningCurveChartSpec([train(1, 0), val(3, 0, "val_loss", 2, 60_000)])).toBeNull();
    expect(learningCurveChartSpec([train(1, 0)])).toBeNull();
  });
});
