import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MetricsLog, readMetrics, truncateMetrics } from "../../../src/runtime/train/metrics-log.js";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "recspec-metrics-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("metrics log", () => {
  it("appends one JSON object per line and reads them back", () => {
    const file = path.join(dir, "run", "metrics.jsonl");
    const log = new MetricsLog(file);
    log.append({ step: 1, epoch: 0, split: "train", name: "loss", value: 0.5, time: 1000 });
    log.append({ step: 2, epoch: 0, split: "val", name: "ndcg@10", value: NaN, time: 2000 });
    log.sync();
    log.close();
    const lines = fs.readFileSync(file, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0])).toEqual({ step: 1, epoch: 0, split: "train", name: "loss", value: 0.5, time: 1000 });
    const back = readMetrics(file);
    expect(back[1].name).toBe("ndcg@10");
    expect(Number.isNaN(back[1].value)).toBe(true);
  });

  it("stamps the time when not given and appends across reopenings", () => {
    const file = path.join(dir, "metrics.jsonl");
    const before = Date.now();
    const a = new MetricsLog(file);
    a.append({ step: 1, epoch: 0, split: "train", name: "loss", value: 1 });
    a.close();
    const b = new MetricsLog(file);
    b.append({ step: 2, epoch: 0, split: "train", name: "loss", value: 2 });
    b.close();
    const back = readMetrics(file);
    expect(back.map((e) => e.step)).toEqual([1, 2]);
    expect(back[0].time).toBeGreaterThanOrEqual(before);
    expect(() => b.append({ step: 3, epoch: 0, split: "train", name: "loss", value: 3 })).toThrow(/closed/);
  });

  it("truncates entries beyond a step, and a torn last line", () => {
    const file = path.join(dir, "metrics.jsonl");
    const log = new MetricsLog(file);
    for (let step = 1; step <= 5; step++) log.append({ step, epoch: 0, split: "train", name: "loss", value: step, time: 0 });
    log.close();
    fs.appendFileSync(file, '{"step": 6, "epo');
    expect(readMetrics(file).map((e) => e.step)).toEqual([1, 2, 3, 4, 5]);
    truncateMetrics(file, 3);
    expect(readMetrics(file).map((e) => e.step)).toEqual([1, 2, 3]);
    expect(fs.readFileSync(file, "utf8").endsWith("}\n")).toBe(true);
  });

  it("reads a missing file as empty", () => {
    expect(readMetrics(path.join(dir, "none.jsonl"))).toEqual([]);
    expect(() => truncateMetrics(path.join(dir, "none.jsonl"), 1)).not.toThrow();
  });
});
