// slotBeamSearch against beamSearch: the toy decoder's hand-computed beams, and equal beams on
// random log-probabilities (constrained and not), including ties and sequences with few IDs.
import { describe, expect, it } from "vitest";
import { beamSearch, type BeamStep } from "../../../src/runtime/decode/beam-search.js";
import { PrefixTrie } from "../../../src/runtime/decode/prefix-trie.js";
import { slotBeamSearch, type SlotStep } from "../../../src/runtime/decode/slot-beam-search.js";
import { Rng } from "../../../src/runtime/random.js";

// The toy of beam-search.test.ts: p(t0) = (.5, .3, .2); p(t1 | t0) per row; joint (0,1) .30,
// (1,0) .27, (0,0) .20, (2,0) = (2,1) = .10, (1,1) .03.
const first = [0.5, 0.3, 0.2];
const second = [
  [0.4, 0.6],
  [0.9, 0.1],
  [0.5, 0.5],
];
const sizes = [3, 2];
const ids = (beams: { tokens: Int32Array }[]) => beams.map((b) => Array.from(b.tokens).join(""));

/** The toy as a slot step: it tracks each slot's prefix from tokens and parents. */
function toySlots(): SlotStep {
  let last: ArrayLike<number> = [];
  return (t, tokens) => {
    last = tokens;
    const out: number[] = [];
    for (let j = 0; j < tokens.length; j++) out.push(...(t === 0 ? first : second[last[j]]).map(Math.log));
    return Float32Array.from(out);
  };
}

describe("slotBeamSearch", () => {
  it("finds the toy decoder's hand-computed beams", async () => {
    const [two] = await slotBeamSearch(1, toySlots(), { width: 2, sizes, trie: null });
    expect(ids(two)).toEqual(["01", "10"]);
    expect(two[1].score).toBeCloseTo(Math.log(0.27), 5);
    const trie = new PrefixTrie(2);
    [
      [0, 0],
      [1, 1],
      [2, 0],
      [2, 1],
    ].forEach((t, i) => trie.insert(t, 10 + i));
    expect(ids((await slotBeamSearch(1, toySlots(), { width: 2, sizes, trie }))[0])).toEqual(["00", "11"]);
    // (2,0) and (2,1) tie at .10: the lower token first, as beamSearch breaks ties.
    expect(ids((await slotBeamSearch(1, toySlots(), { width: 3, sizes, trie }))[0])).toEqual(["00", "20", "21"]);
  });

  it("equals beamSearch on random scores (ties included), with parents pointing at the prefix", async () => {
    const rng = new Rng(5);
    const sz = [6, 5, 4];
    const count = 4;
    // Log-probabilities a function of (sequence, prefix): rounded to a grid so ties happen.
    const table = new Map<string, number[]>();
    const logp = (s: number, prefix: ArrayLike<number>, size: number) => {
      const key = `${s}|${Array.from(prefix).join(",")}`;
      if (!table.has(key))
        table.set(
          key,
          Array.from({ length: size }, () => -Math.round(rng.next() * 4)),
        );
      return table.get(key)!;
    };
    const reference: BeamStep = (prefixes, t, owners) =>
      Float32Array.from(Array.from(owners).flatMap((s, i) => logp(s, prefixes.subarray(i * t, (i + 1) * t), sz[t])));
    for (const trie of [null, randomTrie(rng, sz)]) {
      for (const width of [1, 3, 8]) {
        let rows: number[][] = []; // each slot's prefix, rebuilt from parents and tokens
        const slots: SlotStep = (t, tokens, parents) => {
          rows = t === 0 ? Array.from({ length: count * width }, () => []) : Array.from(tokens, (tok, j) => [...rows[parents[j]], tok]);
          return Float32Array.from(rows.flatMap((p, j) => logp(Math.floor(j / width), p, sz[t])));
        };
        const a = await slotBeamSearch(count, slots, { width, sizes: sz, trie });
        const b = await beamSearch(count, reference, { width, sizes: sz, trie });
        expect(a.map(ids)).toEqual(b.map(ids));
        expect(a.map((l) => l.map((x) => x.score))).toEqual(b.map((l) => l.map((x) => x.score)));
      }
    }
  });
});

function randomTrie(rng: Rng, sz: number[]): PrefixTrie {
  const trie = new PrefixTrie(sz.length);
  for (let i = 0; i < 12; i++)
    trie.insert(
      sz.map((s) => Math.floor(rng.next() * s)),
      i + 1,
    );
  return trie;
}
