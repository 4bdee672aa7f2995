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
    // 50 steps in 4 s: 12.5 steps/s, 0.08 s per step → 50 left take 4 s.
    expect(out.text().endsWith("\repoch 1/2  step 50/100  loss 0.3000  ndcg@10 0.1200  12.5 steps/s  elapsed 4s  ETA 4s\x1b[K\n")).toBe(true);
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
    p.validating(0, 2, 5, 10);
    p.endEpoch({ epoch: 0, step: 2, loss: 1.5 });
    p.finish("done");
    // No total: no ETA.
    expect(out.text()).toBe("epoch 1/3  step 2  loss 1.5000  2.0 steps/s  elapsed 1s\ndone\n");
  });

  it("off a TTY gives elapsed time and an ETA at the run's pace, validation included", () => {
    const out = capture(false);
    let now = 0;
    const p = new Progress({ stream: out.stream, epochs: 3, totalSteps: 30, now: () => now, env: {} });
    p.startEpoch(0);
    now = 4000; // 10 steps in 4 s
    p.endEpoch({ epoch: 0, step: 10, loss: 2, metrics: { val_loss: 1.25 } });
    p.startEpoch(10);
    now = 10_000; // 10 more in 4 s after 2 s of validation: 20 steps in 10 s overall
    p.endEpoch({ epoch: 1, step: 20, loss: 1 });
    p.startEpoch(20);
    now = 14_000;
    p.endEpoch({ epoch: 2, step: 30, loss: 0.5 });
    expect(out.text().split("\n")).toEqual([
      // 20 steps left at 0.4 s each.
      "epoch 1/3  step 10/30  loss 2.0000  val_loss 1.2500  2.5 steps/s  elapsed 4s  ETA 8s",
      // The epoch ran at 10 steps / 6 s; the run at 0.5 s per step, 10 left.
      "epoch 2/3  step 20/30  loss 1.0000  1.7 steps/s  elapsed 10s  ETA 5s",
      // Done: no ETA.
      "epoch 3/3  step 30/30  loss 0.5000  2.5 steps/s  elapsed 14s",
      "",
    ]);
  });

  it("a resumed run times only its own steps", () => {
    const out = capture(false);
    let now = 0;
    const p = new Progress({ stream: out.stream, epochs: 4, totalSteps: 40, startStep: 20, now: () => now, env: {} });
    p.startEpoch(20);
    now = 2000;
    p.endEpoch({ epoch: 2, step: 30, loss: 1 });
    // 10 steps in 2 s this run: 10 left take 2 s (the 20 before the resume are not counted).
    expect(out.text()).toBe("epoch 3/4  step 30/40  loss 1.0000  5.0 steps/s  elapsed 2s  ETA 2s\n");
  });

  it("on a TTY shows validation's users in place", () => {
    const out = capture(true);
    let now = 0;
    const p = new Progress({ stream: out.stream, epochs: 2, totalSteps: 20, now: () => now, env: {} });
    p.startEpoch(0);
    now = 500;
    p.validating(0, 10, 256, 1000);
    expect(out.text()).toBe("\r[##########..........]  epoch 1/2  step 10/20  validating 256/1000 users\x1b[K");
    now = 520;
    p.validating(0, 10, 512, 1000); // too soon: not drawn
    p.validating(0, 10, 1000, 1000); // the last count is always drawn
    expect(out.text()).not.toContain("512/1000");
    expect(out.text()).toContain("validating 1000/1000 users");
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
