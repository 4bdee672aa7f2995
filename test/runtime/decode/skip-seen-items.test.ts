// Beam search that skips a user's seen items, on a hand-built trie of six items with 2-token IDs
// (item 1 = (0,0), 2 = (0,1), 3 = (1,0), 4 = (1,1), 5 = (2,0), 6 = (2,1)) and fixed scores:
// level 0 gives tokens 0, 1, 2 the scores −1, −2, −3; level 1 after prefix 0 gives −1, −1.5,
// after 1 −0.5, −2, after 2 −0.1, −4. Whole IDs: 1 −2, 2 −2.5, 3 −2.5, 5 −3.1, 4 −4, 6 −7.
// Checked by hand for both searches (beamSearch and slotBeamSearch), constrained and not, with a
// prefix all of whose items are seen, a user who has seen everything, and no exclusions at all.
import { describe, expect, it } from "vitest";
import { beamSearch, type Beam, type BeamSearchOptions, type BeamStep } from "../../../src/runtime/decode/beam-search.js";
import { PrefixTrie, trieOfItems } from "../../../src/runtime/decode/prefix-trie.js";
import { seenItemsOf, type SeenItems } from "../../../src/runtime/decode/seen-items.js";
import { slotBeamSearch, type SlotStep } from "../../../src/runtime/decode/slot-beam-search.js";
import { Rng } from "../../../src/runtime/random.js";

const level0 = [-1, -2, -3, -1.5];
const level1: Record<number, number[]> = { 0: [-1, -1.5], 1: [-0.5, -2], 2: [-0.1, -4], 3: [-0.1, -0.2] };
// Row i: item i's ID (row 0, the pad item, is never inserted).
const codes = Int32Array.from([0, 0, 0, 0, 0, 1, 1, 0, 1, 1, 2, 0, 2, 1]);
const trie = trieOfItems(codes, 2);

const prefixStep =
  (size0: number): BeamStep =>
  (prefixes, t, owners) =>
    Float32Array.from(Array.from(owners).flatMap((_, i) => (t === 0 ? level0.slice(0, size0) : level1[prefixes[i]])));

/** The same scores as a slot step: each slot's prefix is its parent's plus the token it added. */
const slotStep = (size0: number): SlotStep => {
  let prefix: number[] = [];
  // IDs of two tokens: at t = 1 a slot's prefix is the token it added at t = 0.
  return (t, tokens) => {
    if (t > 0) prefix = Array.from(tokens);
    return Float32Array.from(Array.from(tokens).flatMap((_, j) => (t === 0 ? level0.slice(0, size0) : level1[prefix[j]])));
  };
};

/** Runs both searches; they must agree beam for beam; gives the beams as "tt" strings. */
async function search(seen: number[][] | null, options: Partial<BeamSearchOptions> & { width: number }): Promise<string[][]> {
  const full: BeamSearchOptions = { sizes: [3, 2], trie, ...options };
  const skipTrie = full.trie ?? trie;
  const skip: SeenItems | null = seen === null ? null : seenItemsOf(skipTrie, codes, 2, seen);
  const count = seen?.length ?? 1;
  const a = await beamSearch(count, prefixStep(full.sizes[0]), { ...full, skip });
  const b = await slotBeamSearch(count, slotStep(full.sizes[0]), { ...full, skip });
  expect(b).toEqual(a);
  return a.map((list: Beam[]) => list.map((beam) => Array.from(beam.tokens).join("")));
}

describe("the trie's item counts and seen-item masks", () => {
  it("counts the items under every node and blocks exactly the nodes whose items are all seen", () => {
    expect(trie.itemsUnder(0)).toBe(6);
    expect(trie.itemsUnder(trie.find([1]))).toBe(2);
    expect(trie.itemsUnder(trie.find([1, 1]))).toBe(1);
    const { blocked } = seenItemsOf(trie, codes, 2, [[1, 2, 3, 1], [], null, [1, 2, 3, 4, 5, 6]]);
    // Items 1 and 2 fill prefix 0; item 3 only half of prefix 1.
    expect([...blocked[0]].sort((x, y) => x - y)).toEqual([trie.find([0]), trie.find([0, 0]), trie.find([0, 1]), trie.find([1, 0])].sort((x, y) => x - y));
    expect(blocked[1].size).toBe(0);
    expect(blocked[2].size).toBe(0);
    // Everything seen: the root too.
    expect(blocked[3].has(0)).toBe(true);
    expect(blocked[3].size).toBe(1 + 3 + 6);
  });

  it("ignores items the trie does not hold under their ID, and an ID two items share stays open until both are seen", () => {
    const shared = new PrefixTrie(2);
    shared.insert([0, 0], 1);
    shared.insert([0, 0], 2);
    shared.insert([1, 0], 3);
    const sharedCodes = Int32Array.from([0, 0, 0, 0, 0, 0, 1, 0, 1, 1]); // item 4 = (1,1) is not in the trie
    const { blocked } = seenItemsOf(shared, sharedCodes, 2, [[1], [1, 2], [4]]);
    expect(blocked[0].size).toBe(0);
    expect(blocked[1].has(shared.find([0, 0]))).toBe(true);
    expect(blocked[1].has(shared.find([0]))).toBe(true);
    expect(blocked[2].size).toBe(0);
  });
});

describe("beam search skipping seen items", () => {
  it("keeps the history-kept beams: no skip and an empty seen list give the same beams", async () => {
    // Width 2: prefixes 0 (−1) and 1 (−2) survive; (0,1) and (1,0) tie at −2.5, beam 0 first.
    expect(await search(null, { width: 2 })).toEqual([["00", "01"]]);
    expect(await search([[]], { width: 2 })).toEqual([["00", "01"]]);
    expect(await search(null, { width: 4 })).toEqual([["00", "01", "10", "20"]]);
  });

  it("masks a prefix all of whose items are seen, so the width is filled with unseen items", async () => {
    // Seen 1 and 2: prefix 0 is closed, prefixes 1 (−2) and 2 (−3) survive; (1,0) −2.5, (2,0) −3.1.
    // Masking only the last level would keep prefix 0 and end on (1,0), (1,1).
    expect(await search([[1, 2]], { width: 2 })).toEqual([["10", "20"]]);
    // Seen 1 and 3: no prefix closed; (0,1) −2.5 and (1,1) −4 are what is left under 0 and 1.
    expect(await search([[1, 3]], { width: 2 })).toEqual([["01", "11"]]);
    // Two users in one search, each with their own mask.
    expect(await search([[1, 2], [1, 3], []], { width: 2 })).toEqual([
      ["10", "20"],
      ["01", "11"],
      ["00", "01"],
    ]);
  });

  it("gives what is left when fewer than width unseen items remain, and nothing to a user who has seen every item", async () => {
    expect(await search([[1, 2, 3, 4, 5]], { width: 3 })).toEqual([["21"]]);
    expect(await search([[1, 2, 3, 4, 5, 6]], { width: 3 })).toEqual([[]]);
    expect(await search([[6, 5, 4, 3, 2, 1], [6]], { width: 6 })).toEqual([[], ["00", "01", "10", "20", "11"]]);
  });

  it("unconstrained, walks the trie of every item: seen IDs are masked, tokens off the trie are not", async () => {
    expect(await search([[1, 3]], { width: 2, trie: null })).toEqual([["01", "11"]]);
    // Level-0 token 3 names no item (−1.5): it and prefix 1 (−2) survive prefix 0's mask; (3,0)
    // −1.6 and (3,1) −1.7 beat (1,0) −2.5, invalid as they are.
    expect(await search([[1, 2]], { width: 2, trie: null, sizes: [4, 2] })).toEqual([["30", "31"]]);
    expect(await search(null, { width: 2, trie: null, sizes: [4, 2] })).toEqual([["30", "31"]]);
  });

  it("rejects a skip list of another trie than the constrained search's, or of the wrong count", async () => {
    const other = trieOfItems(codes, 2);
    const skip = seenItemsOf(other, codes, 2, [[1]]);
    await expect(beamSearch(1, prefixStep(3), { width: 2, sizes: [3, 2], trie, skip })).rejects.toThrow(/its own trie/);
    await expect(slotBeamSearch(2, slotStep(3), { width: 2, sizes: [3, 2], trie: other, skip })).rejects.toThrow(/1 skip lists for 2 sequences/);
  });

  it("on random scores and IDs, never returns a seen item and fills the width when enough unseen items exist", async () => {
    const rng = new Rng(11);
    const sizes = [4, 3, 3];
    const numItems = 30;
    const ids = new Int32Array((numItems + 1) * 3);
    const used = new Set<string>();
    for (let i = 1; i <= numItems; i++) {
      let id: number[];
      do id = sizes.map((s) => Math.floor(rng.next() * s));
      while (used.has(id.join()));
      used.add(id.join());
      ids.set(id, i * 3);
    }
    const big = trieOfItems(ids, 3);
    const table = new Map<string, number[]>();
    const step: BeamStep = (prefixes, t, owners) => {
      const out: number[] = [];
      for (let i = 0; i < owners.length; i++) {
        const key = `${owners[i]}|${Array.from(prefixes.subarray(i * t, (i + 1) * t)).join()}`;
        if (!table.has(key))
          table.set(
            key,
            Array.from({ length: sizes[t] }, () => -Math.round(rng.next() * 6)),
          );
        out.push(...table.get(key)!);
      }
      return Float32Array.from(out);
    };
    const seen = Array.from({ length: 6 }, (_, s) => Array.from({ length: 5 * s }, () => 1 + Math.floor(rng.next() * numItems)));
    // And a user with only three items left: fewer than the width.
    seen.push(Array.from({ length: numItems - 3 }, (_, i) => i + 1));
    const width = 8;
    const skip = seenItemsOf(big, ids, 3, seen);
    const beams = await beamSearch(seen.length, step, { width, sizes, trie: big, skip });
    beams.forEach((list, s) => {
      const items = list.map((b) => big.items(b.tokens)[0]);
      const unseen = numItems - new Set(seen[s]).size;
      expect(items.filter((i) => seen[s].includes(i))).toEqual([]);
      expect(items.length).toBe(Math.min(width, unseen));
      expect(new Set(items).size).toBe(items.length);
    });
  });
});
