import { describe, expect, it } from "vitest";
import { duration, Progress } from "../../../src/runtime/train/progress.js";

function capture(isTTY: boolean): { stream: { write(s: string): void; isTTY: boolean }; text: () => string } {
  const chunks: string[] = [];
  return { stream: { write: (s: string) => void chunks.push(s), isTTY }, text: () => chunks.join("") };
}

describe("progress", () => {
  it("on a TTY redraws one line in place with step/total, loss, rate and ETA", () => {
    const out = capture(true);
    let now = 0;
    const p = new Progress({ stream: out.stream, epochs: 2, totalSteps: 100, env: {}, now: () => now, minIntervalMs: 100 });
    expect(p.tty).toBe(true);
    p.startEpoch(0);
    now = 2000;
    p.update(0, 10, 0.5);
    // 10 steps in 2 s = 5 steps/s; 90 left → 18 s.
    expect(out.text()).toBe("\r[##..................]  epoch 1/2  step 10/100  loss 0.5000  5.0 steps/s  ETA 18s\x1b[K");
    now = 2050;
    p.update(0, 11, 0.4); // within minIntervalMs: not drawn
    expect(out.text()).not.toContain("step 11/");
    now = 4000;
    p.update(0, 20, 0.25);
    expect(out.text()).toContain("\r[####................]  epoch 1/2  step 20/100  loss 0.2500");
    p.endEpoch({ epoch: 0, step: 50, loss: 0.3, metrics: { "ndcg@10": 0.12 } });
    expect(out.text().endsWith("\repoch 1/2  step 50/100  loss 0.3000  ndcg@10 0.1200  12.5 steps/s  4s\x1b[K\n")).toBe(true);
    expect(out.text().split("\n")).toHaveLength(2);
  });

  it("off a TTY prints one plain line per epoch and nothing per step", () => {
    const out = capture(false);
    let now = 0;
    const p = new Progress({ stream: out.stream, epochs: 3, now: () => now, env: {} });
    expect(p.tty).toBe(false);
    p.startEpoch(0);
    now = 1000;
    p.update(0, 1, 2);
    p.update(0, 2, 1);
    p.endEpoch({ epoch: 0, step: 2, loss: 1.5 });
    p.finish("done");
    expect(out.text()).toBe("epoch 1/3  step 2  loss 1.5000  2.0 steps/s  1s\ndone\n");
  });

  it("NO_COLOR turns the in-place line off on a TTY", () => {
    const out = capture(true);
    const p = new Progress({ stream: out.stream, env: { NO_COLOR: "1" } });
    expect(p.tty).toBe(false);
    p.update(0, 1, 1);
    expect(out.text()).toBe("");
  });

  it("finish ends an unterminated in-place line", () => {
    const out = capture(true);
    const p = new Progress({ stream: out.stream, env: {}, now: () => 1000 });
    p.startEpoch(0);
    p.update(0, 1, 1e-5);
    p.finish();
    expect(out.text()).toContain("loss 1.000e-5");
    expect(out.text().endsWith("\n")).toBe(true);
  });

  it("formats durations", () => {
    expect(duration(45)).toBe("45s");
    expect(duration(308)).toBe("5m08s");
    expect(duration(3720)).toBe("1h02m");
    expect(duration(Infinity)).toBe("?");
  });
});
