import { describe, expect, it } from "vitest";
import { createSchedule } from "../../../src/runtime/train/schedules.js";

describe("constant", () => {
  it("gives lr at every step", () => {
    const s = createSchedule({ name: "constant", lr: 0.003 });
    expect([1, 10, 1e6].map(s)).toEqual([0.003, 0.003, 0.003]);
  });
});

describe("inverse_sqrt", () => {
  it("ramps linearly to lr at the warm-up, then decays as sqrt(warmup/step)", () => {
    const s = createSchedule({ name: "inverse_sqrt", lr: 0.01, warmup: 10_000 });
    expect(s(1)).toBeCloseTo(0.01 / 10_000, 12);
    expect(s(5_000)).toBeCloseTo(0.005, 12);
    expect(s(10_000)).toBeCloseTo(0.01, 12);
    expect(s(40_000)).toBeCloseTo(0.005, 12); // sqrt(10k/40k) = 1/2
    expect(s(250_000)).toBeCloseTo(0.002, 12); // sqrt(10k/250k) = 1/5
  });

  it("T5 shape keeps lr flat during the warm-up", () => {
    const s = createSchedule({ name: "inverse_sqrt", lr: 0.01, warmup: 100, warmupShape: "constant" });
    expect(s(1)).toBe(0.01);
    expect(s(100)).toBe(0.01);
    expect(s(400)).toBeCloseTo(0.005, 12);
  });

  it("rejects a zero warm-up", () => {
    expect(() => createSchedule({ name: "inverse_sqrt", lr: 0.01, warmup: 0 })).toThrow(/warmup/);
  });
});

describe("cosine", () => {
  it("decays from lr to 0 over totalSteps", () => {
    const s = createSchedule({ name: "cosine", lr: 1, totalSteps: 100 });
    expect(s(1)).toBeCloseTo((1 + Math.cos(Math.PI / 100)) / 2, 12);
    expect(s(50)).toBeCloseTo(0.5, 12);
    expect(s(100)).toBeCloseTo(0, 12);
    expect(s(150)).toBeCloseTo(0, 12);
  });

  it("warms up linearly, then decays to finalLr", () => {
    const s = createSchedule({ name: "cosine", lr: 1, totalSteps: 110, warmup: 10, finalLr: 0.1 });
    expect(s(1)).toBeCloseTo(0.1, 12);
    expect(s(5)).toBeCloseTo(0.5, 12);
    expect(s(10)).toBeCloseTo(1, 12);
    // Half-way through the decay: 0.1 + 0.9·(1 + cos(π/2))/2 = 0.55.
    expect(s(60)).toBeCloseTo(0.55, 12);
    expect(s(110)).toBeCloseTo(0.1, 12);
    expect(s(1000)).toBeCloseTo(0.1, 12);
  });

  it("checks its parameters", () => {
    expect(() => createSchedule({ name: "cosine", lr: 1, totalSteps: 10, warmup: 10 })).toThrow(/warmup/);
    expect(() => createSchedule({ name: "cosine", lr: 1, totalSteps: 10, finalLr: 2 })).toThrow(/finalLr/);
  });
});
