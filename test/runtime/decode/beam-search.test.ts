import { describe, expect, it } from "vitest";
import { beamSearch, beamsToItems, invalidRate, type BeamStep } from "../../../src/runtime/decode/beam-search.js";
import { PrefixTrie, trieOfItems } from "../../../src/runtime/decode/prefix-trie.js";

// A toy decoder over IDs of 2 tokens (sizes 3 then 2) with known probabilities:
// p(t0) = (0.5, 0.3, 0.2); p(t1 | 0) = (0.4, 0.6), p(t1 | 1) = (0.9, 0.1), p(t1 | 2) = (0.5, 0.5).
// Joint: (0,0) .20, (0,1) .30, (1,0) .27, (1,1) .03, (2,0) .10, (2,1) .10.
const first = [0.5, 0.3, 0.2];
const second = [
  [0.4, 0.6],
  [0.9, 0.1],
  [0.5, 0.5],
];
const calls: number[] = [];
const toy: BeamStep = (prefixes, t, owners) => {
  calls.push(owners.length);
  const out: number[] = [];
  for (let i = 0; i < owners.length; i++) out.push(...(t === 0 ? first : second[prefixes[i * t]]).map(Math.log));
  return Float32Array.from(out);
};
const sizes = [3, 2];
const ids = (beams: { tokens: Int32Array }[]) => beams.map((b) => Array.from(b.tokens).join(""));

describe("beamSearch", () => {
  it("keeps the best `width` partial IDs at every step (unconstrained)", async () => {
    const [beams] = await beamSearch(1, toy, { width: 2, sizes, trie: null });
    // Step 0 keeps 0 (.5) and 1 (.3); step 1: (0,1) .30 > (1,0) .27 > (0,0) .20.
    expect(ids(beams)).toEqual(["01", "10"]);
    expect(beams[0].score).toBeCloseTo(Math.log(0.3), 5);
    expect(beams[1].score).toBeCloseTo(Math.log(0.27), 5);
    const [greedy] = await beamSearch(1, toy, { width: 1, sizes, trie: null });
    expect(ids(greedy)).toEqual(["01"]);
  });

  it("only ever produces IDs of the trie when constrained", async () => {
    const trie = new PrefixTrie(2);
    [
      [0, 0],
      [1, 1],
      [2, 0],
      [2, 1],
    ].forEach((t, i) => trie.insert(t, 10 + i));
    const [two] = await beamSearch(1, toy, { width: 2, sizes, trie });
    // Step 0: 0 (.5), 1 (.3); step 1 may only take (0,0) .20 and (1,1) .03.
    expect(ids(two)).toEqual(["00", "11"]);
    const [three] = await beamSearch(1, toy, { width: 3, sizes, trie });
    // (2,0) and (2,1) tie at .10: the lower token first.
    expect(ids(three)).toEqual(["00", "20", "21"]);
    const decoded = beamsToItems([two, three], trie);
    expect(decoded.invalid).toBe(0);
    expect(decoded.items[1].map((x) => x.item)).toEqual([10, 12, 13]);
    // Many sequences at once, each its own search, with every beam valid.
    const many = await beamSearch(5, toy, { width: 4, sizes, trie });
    expect(many.every((list) => list.every((b) => trie.items(b.tokens).length === 1))).toBe(true);
  });

  it("counts invalid IDs of an unconstrained search", async () => {
    const trie = trieOfItems(Int32Array.from([-1, -1, 0, 0, 1, 1, 2, 0]), 2);
    const beams = await beamSearch(2, toy, { width: 2, sizes, trie: null });
    // Both sequences decode (0,1) and (1,0): neither is an item.
    const decoded = beamsToItems(beams, trie);
    expect(decoded.total).toBe(4);
    expect(decoded.invalid).toBe(4);
    expect(invalidRate(decoded)).toBe(1);
    const wide = beamsToItems(await beamSearch(1, toy, { width: 6, sizes, trie: null }), trie);
    // All 6 IDs: (0,0), (1,1), (2,0) are items 1..3, the other 3 are not.
    expect(invalidRate(wide)).toBe(0.5);
    expect(wide.items[0].map((x) => x.item)).toEqual([1, 3, 2]);
  });

  it("batches every beam of every sequence into one step call", async () => {
    calls.length = 0;
    await beamSearch(3, toy, { width: 2, sizes, trie: null });
    expect(calls).toEqual([3, 6]);
  });
});

describe("PrefixTrie", () => {
  it("lists allowed next tokens and the items below a prefix", () => {
    const trie = trieOfItems(Int32Array.from([-1, -1, -1, 4, 2, 0, 4, 2, 1, 4, 1, 0, 3, 0, 0]), 3);
    expect(Array.from(trie.allowed(0))).toEqual([3, 4]);
    expect(Array.from(trie.allowed(trie.find([4])))).toEqual([1, 2]);
    expect(trie.itemsBelow(trie.find([4, 2]))).toEqual([1, 2]);
    expect(trie.items([4, 1, 0])).toEqual([3]);
    expect(trie.items([4, 1, 1])).toEqual([]);
    expect(trie.find([5])).toBe(-1);
  });
});
