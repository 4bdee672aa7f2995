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

// The authors' generator (google-research `multiple_user_representations`, sparse_C5_I10_U3):
// interests drawn independently with repeats merged, walks that start in any cluster, ε = 0.2.
describe("generateSynthetic in the authors' setup", () => {
  const official: SyntheticOptions = { ...paper, itemPower: 0.5, nonInterestStay: 0.2, interestDraw: "independent", start: "any" };
  /** The distinct interests of user u (the row is padded with −1). */
  const interestsOf = (d: ReturnType<typeof generateSynthetic>, u: number) => Array.from(d.userInterests.subarray(u * 3, u * 3 + 3)).filter((c) => c >= 0);

  it("gives each cluster to a user with probability 1 − (1 − p_c)^3, p_c ∝ 1/(c + 1)", () => {
    const d = generateSynthetic({ ...official, length: 3 });
    const counts = [0, 0, 0, 0, 0];
    let total = 0;
    for (let u = 0; u < paper.users; u++) {
      const mine = interestsOf(d, u);
      expect(new Set(mine).size).toBe(mine.length);
      for (const c of mine) counts[c]++;
      total += mine.length;
    }
    // p = (1, 1/2, 1/3, 1/4, 1/5) / 2.2833 = .4380, .2190, .1460, .1095, .0876; times 4000 users:
    // 1 − (1 − p)^3 = .8225, .5236, .3771, .2938, .2404 → 3290, 2094, 1509, 1175, 962 (sd ≤ 32).
    [3290, 2094, 1509, 1175, 962].forEach((expected, c) => expect(Math.abs(counts[c] - expected)).toBeLessThan(130));
    // E[K] = Σ 1 − (1 − p_c)^3 = 2.257 interests per user.
    expect(Math.abs(total / paper.users - 2.257)).toBeLessThan(0.03);
  });

  it("starts each walk in any cluster, uniformly", () => {
    const d = generateSynthetic({ ...official, length: 3 });
    const first = [0, 0, 0, 0, 0];
    for (let u = 0; u < paper.users; u++) first[d.itemCluster[userItems(d.store, u)[0]]]++;
    // 800 each (sd ≈ 25).
    for (const n of first) expect(Math.abs(n - 800)).toBeLessThan(100);
  });

  it("with α = 1 never leaves an interest once in one, and never leaves the first one when starting there", () => {
    const fromAny = generateSynthetic({ ...official, stay: 1, switch: 0, users: 1000 });
    const fromInterest = generateSynthetic({ ...official, stay: 1, switch: 0, users: 1000, start: "interest" });
    for (let u = 0; u < 1000; u++) {
      const interests = new Set(interestsOf(fromAny, u));
      const seq = Array.from(userItems(fromAny.store, u), (i) => fromAny.itemCluster[i]);
      const entered = seq.findIndex((c) => interests.has(c));
      expect(entered).toBeGreaterThanOrEqual(0); // ε = 0.2: 19 stays in a row has probability 0.2^19
      expect(new Set(seq.slice(entered)).size).toBe(1);
      const own = Array.from(userItems(fromInterest.store, u), (i) => fromInterest.itemCluster[i]);
      expect(new Set(own).size).toBe(1);
      expect(interestsOf(fromInterest, u)).toContain(own[0]);
    }
  });

  it("stays in a non-interest cluster with ε, and with one interest keeps γ at home (stay α + γ)", () => {
    const d = generateSynthetic(official);
    let fromOther = 0;
    let stayedOther = 0;
    let fromSingle = 0;
    let stayedSingle = 0;
    for (let u = 0; u < paper.users; u++) {
      const interests = new Set(interestsOf(d, u));
      const seq = Array.from(userItems(d.store, u), (i) => d.itemCluster[i]);
      for (let t = 1; t < seq.length; t++) {
        if (!interests.has(seq[t - 1])) {
          fromOther++;
          if (seq[t] === seq[t - 1]) stayedOther++;
        } else if (interests.size === 1) {
          fromSingle++;
          if (seq[t] === seq[t - 1]) stayedSingle++;
        }
      }
    }
    expect(Math.abs(stayedOther / fromOther - 0.2)).toBeLessThan(0.02);
    // Users whose three draws all hit one cluster: .438^3 + .219^3 + … ≈ 9.9% of them.
    expect(fromSingle).toBeGreaterThan(2000);
    expect(Math.abs(stayedSingle / fromSingle - 0.9)).toBeLessThan(0.02);
  });

  it("leaves the default data unchanged when the defaults are spelt out", () => {
    const implicit = generateSynthetic({ ...paper, users: 200 });
    const explicit = generateSynthetic({ ...paper, users: 200, interestDraw: "distinct", start: "interest" });
    expect(Array.from(explicit.store.items)).toEqual(Array.from(implicit.store.items));
    expect(Array.from(explicit.userInterests)).toEqual(Array.from(implicit.userInterests));
    expect(() => generateSynthetic({ ...paper, start: "nowhere" as "any" })).toThrow(/start/);
  });
});
