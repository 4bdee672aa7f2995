import { describe, expect, it } from "vitest";
import { generateSynthetic, type SyntheticOptions } from "../../../src/runtime/data/synthetic.js";
import { userItems } from "../../../src/runtime/data/interactions.js";

const paper: SyntheticOptions = {
  users: 4000,
  clusters: 5,
  itemsPerCluster: 10,
  interestsPerUser: 3,
  interestPower: 1,
  itemPower: 1,
  stay: 0.6,
  switch: 0.3,
  length: 20,
  seed: 7,
};

describe("generateSynthetic", () => {
  it("makes users × length interactions over clusters × items, with the ground truth", () => {
    const d = generateSynthetic({ ...paper, users: 50 });
    expect(d.store.numUsers).toBe(50);
    expect(d.store.numItems).toBe(50);
    expect(d.store.numInteractions).toBe(1000);
    for (let u = 0; u < 50; u++) expect(userItems(d.store, u).length).toBe(20);
    expect(d.itemCluster[0]).toBe(-1);
    expect(d.itemCluster[1]).toBe(0);
    expect(d.itemCluster[10]).toBe(0);
    expect(d.itemCluster[11]).toBe(1);
    expect(d.itemRank[11]).toBe(1);
    expect(d.itemRank[50]).toBe(10);
    // Interests are distinct clusters; the walk starts in one of them.
    for (let u = 0; u < 50; u++) {
      const interests = Array.from(d.userInterests.subarray(u * 3, u * 3 + 3));
      expect(new Set(interests).size).toBe(3);
      expect(interests).toContain(d.itemCluster[userItems(d.store, u)[0]]);
    }
  });

  it("is deterministic for a seed", () => {
    const a = generateSynthetic({ ...paper, users: 100 });
    const b = generateSynthetic({ ...paper, users: 100 });
    const c = generateSynthetic({ ...paper, users: 100, seed: 8 });
    expect(Array.from(a.store.items)).toEqual(Array.from(b.store.items));
    expect(Array.from(a.store.items)).not.toEqual(Array.from(c.store.items));
  });

  it("draws interests uniformly when interest_power = 0 and skewed towards low clusters when 1", () => {
    const countInterests = (power: number) => {
      const d = generateSynthetic({ ...paper, interestPower: power, length: 1 });
      const counts = new Array(5).fill(0);
      for (const c of d.userInterests) counts[c]++;
      return counts;
    };
    // Uniform: each cluster is an interest of 3/5 of 4000 users = 2400 (sd ≈ 31).
    for (const n of countInterests(0)) expect(Math.abs(n - 2400)).toBeLessThan(150);
    const skewed = countInterests(1);
    expect(skewed[0]).toBeGreaterThan(skewed[4] + 500);
  });

  it("stays with α, switches interest with γ, leaves to a non-interest with 1 − α − γ", () => {
    const d = generateSynthetic(paper);
    let fromInterest = 0;
    let stayed = 0;
    let switched = 0;
    let fromOther = 0;
    let returned = 0;
    for (let u = 0; u < paper.users; u++) {
      const interests = new Set(d.userInterests.subarray(u * 3, u * 3 + 3));
      const seq = userItems(d.store, u);
      for (let t = 1; t < seq.length; t++) {
        const a = d.itemCluster[seq[t - 1]];
        const b = d.itemCluster[seq[t]];
        if (interests.has(a)) {
          fromInterest++;
          if (a === b) stayed++;
          else if (interests.has(b)) switched++;
        } else {
          fromOther++;
          if (interests.has(b)) returned++;
        }
      }
    }
    expect(Math.abs(stayed / fromInterest - 0.6)).toBeLessThan(0.01);
    expect(Math.abs(switched / fromInterest - 0.3)).toBeLessThan(0.01);
    expect(fromOther).toBeGreaterThan(0);
    expect(returned / fromOther).toBe(1); // ε = 0 by default: a non-interest visit lasts one step
  });

  it("draws items within a cluster with p(rank r) ∝ r^−item_power", () => {
    const d = generateSynthetic(paper);
    let rank1 = 0;
    let rank10 = 0;
    for (const i of d.store.items) {
      if (d.itemRank[i] === 1) rank1++;
      if (d.itemRank[i] === 10) rank10++;
    }
    // Expected ratio 10^1 = 10; with ~27k and ~2.7k draws the estimate is within ±10%.
    expect(rank1 / rank10).toBeGreaterThan(9);
    expect(rank1 / rank10).toBeLessThan(11);
    const flat = generateSynthetic({ ...paper, itemPower: 0, users: 1000 });
    const counts = Array.from(flat.store.itemCounts.subarray(1));
    expect(Math.max(...counts) / Math.min(...counts)).toBeLessThan(2.5);
  });

  it("keeps non-interest stays with ε and refuses impossible settings", () => {
    const d = generateSynthetic({ ...paper, nonInterestStay: 1, users: 500 });
    // With ε = 1 a walk that leaves its interests never returns.
    for (let u = 0; u < 500; u++) {
      const interests = new Set(d.userInterests.subarray(u * 3, u * 3 + 3));
      const seq = Array.from(userItems(d.store, u), (i) => d.itemCluster[i]);
      const left = seq.findIndex((c) => !interests.has(c));
      if (left >= 0) expect(new Set(seq.slice(left)).size).toBe(1);
    }
    expect(() => generateSynthetic({ ...paper, interestsPerUser: 6 })).toThrow(/exceeds clusters/);
    expect(() => generateSynthetic({ ...paper, stay: 0.8, switch: 0.3 })).toThrow(/stay \+ switch/);
    expect(() => generateSynthetic({ ...paper, users: 0 })).toThrow(RangeError);
  });
});
