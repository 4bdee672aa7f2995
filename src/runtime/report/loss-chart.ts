// Chart (1): training loss against steps. Takes metrics.jsonl records; gives a vega-lite spec with
// the per-step loss as a faint line and the per-epoch mean as a bold line with points, or null when
// no training loss was logged. The epoch mean is taken from the train loop's "epoch_loss" records
// when present (they average every step, including any not logged) and computed from the logged
// steps otherwise; it is placed at the epoch's last step so both lines share the step axis.
import { chartConfig, MODEL_COLORS, type VegaLiteSpec } from "./chart-theme.js";
import { isFiniteNumber } from "./format-interval.js";
import type { MetricRecord } from "./report-data.js";

export const STEP_SERIES = "loss per step";
export const EPOCH_SERIES = "epoch mean";

export interface LossPoint {
  step: number;
  epoch: number;
  value: number;
  series: typeof STEP_SERIES | typeof EPOCH_SERIES;
}

export function lossPoints(metrics: MetricRecord[]): LossPoint[] {
  const train = metrics.filter((m) => m.split === "train" && isFiniteNumber(m.value));
  const steps: LossPoint[] = train
    .filter((m) => m.name === "loss")
    .map((m) => ({ step: m.step, epoch: m.epoch, value: m.value as number, series: STEP_SERIES }));
  let epochs: LossPoint[] = train
    .filter((m) => m.name === "epoch_loss")
    .map((m) => ({ step: m.step, epoch: m.epoch, value: m.value as number, series: EPOCH_SERIES }));
  if (epochs.length === 0) {
    const byEpoch = new Map<number, { sum: number; count: number; lastStep: number }>();
    for (const p of steps) {
      const e = byEpoch.get(p.epoch) ?? { sum: 0, count: 0, lastStep: p.step };
      e.sum += p.value;
      e.count += 1;
      e.lastStep = Math.max(e.lastStep, p.step);
      byEpoch.set(p.epoch, e);
    }
    epochs = [...byEpoch].map(([epoch, e]) => ({
      step: e.lastStep,
      epoch,
      value: e.sum / e.count,
      series: EPOCH_SERIES,
    }));
  }
  return [...steps, ...epochs];
}

export function lossChartSpec(metrics: MetricRecord[]): VegaLiteSpec | null {
  const values = lossPoints(metrics);
  if (values.length === 0) return null;
  const encoding = {
    x: { field: "step", type: "quantitative", title: "step", axis: { tickMinStep: 1, format: "~s" } },
    y: { field: "value", type: "quantitative", title: "loss", scale: { zero: false } },
    color: {
      field: "series",
      type: "nominal",
      title: null,
      scale: { domain: [STEP_SERIES, EPOCH_SERIES], range: [MODEL_COLORS[1], MODEL_COLORS[0]] },
    },
    tooltip: [
      { field: "series", type: "nominal" },
      { field: "epoch", type: "quantitative" },
      { field: "step", type: "quantitative" },
      { field: "value", type: "quantitative", format: ".4f", title: "loss" },
    ],
  };
  return {
    config: chartConfig,
    title: "Training loss",
    width: 860,
    height: 260,
    data: { values },
    layer: [
      {
        transform: [{ filter: { field: "series", equal: STEP_SERIES } }],
        mark: { type: "line", strokeWidth: 1, interpolate: "linear" },
        encoding,
      },
      {
        transform: [{ filter: { field: "series", equal: EPOCH_SERIES } }],
        mark: { type: "line", strokeWidth: 2.5, point: { size: 40, filled: true } },
        encoding,
      },
    ],
  };
}
