import { describe, expect, it } from "vitest";
import { validationChartSpec } from "../../../src/runtime/report/validation-chart.js";
import type { MetricRecord } from "../../../src/runtime/report/report-data.js";

describe("validation chart", () => {
  it("counts epochs from 1, as the console does", () => {
    // The train loop logs 0-based epochs; the console prints "epoch 1/2" for the first.
    const records = [
      { step: 5, epoch: 0, split: "val", name: "val_loss", value: 1.5, time: 0 },
      { step: 10, epoch: 1, split: "val", name: "val_loss", value: 1.25, time: 1 },
      { step: 10, epoch: 1, split: "train", name: "epoch_loss", value: 2, time: 1 },
    ] as MetricRecord[];
    const spec = validationChartSpec(records) as unknown as { data: { values: { epoch: number; step: number; value: number }[] } };
    expect(spec.data.values.map((v) => [v.epoch, v.step, v.value])).toEqual([
      [1, 5, 1.5],
      [2, 10, 1.25],
    ]);
  });
});
