import { describe, expect, it } from "vitest";
import { Rng } from "../../src/runtime/random.js";

describe("Rng", () => {
  it("skip(k) advances exactly k draws and gives the state they start from", () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const drawn = Array.from({ length: 1001 }, () => a.nextUint32());
    const state = b.skip(1000);
    expect(b.nextUint32()).toBe(drawn[1000]);
    // skip(0) moves nothing: a fresh stream starts from the state skip(1000) reported.
    expect(new Rng(42).skip(0)).toBe(state);
  });

  it("is deterministic for a seed and differs across seeds", () => {
    const a = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.nextUint32()
      )(new Rng(1)),
    );
    const b = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.nextUint32()
      )(new Rng(1)),
    );
    const c = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.nextUint32()
      )(new Rng(2)),
    );
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("draws uniform floats in [0,1) with mean near 1/2", () => {
    const r = new Rng(7);
    let sum = 0;
    for (let i = 0; i < 20000; i++) {
      const x = r.next();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
    }
    expect(Math.abs(sum / 20000 - 0.5)).toBeLessThan(0.01);
  });

  it("draws categories in proportion to their weights", () => {
    const r = new Rng(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30000; i++) counts[r.categorical([1, 0, 3])]++;
    expect(counts[1]).toBe(0);
    expect(Math.abs(counts[2] / counts[0] - 3)).toBeLessThan(0.2);
  });

  it("shuffles to a permutation", () => {
    const xs = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = new Rng(9).shuffle([...xs]);
    expect([...shuffled].sort((p, q) => Number(p) - Number(q))).toEqual(xs);
    expect(shuffled).not.toEqual(xs);
  });

  it("forks independent, reproducible streams", () => {
    const f1 = new Rng(5).fork("dropout").nextUint32();
    const f2 = new Rng(5).fork("dropout").nextUint32();
    const g = new Rng(5).fork("shuffle").nextUint32();
    expect(f1).toBe(f2);
    expect(f1).not.toBe(g);
  });
});
