import { describe, expect, it } from "vitest";
import { learnSpm } from "../../../src/runtime/ranking/spm.js";

// Corpus (L = 3, K = 4), hand-counted spans of length ≥ 2 (weight 1 each):
//   (1,2,3) (1,2,0) (1,2,3) (0,2,3)
//   0:[1,2] = 3, 1:[2,3] = 3, 0:[1,2,3] = 2, and 1:[2,0], 0:[1,2,0], 0:[0,2], 0:[0,2,3] = 1 each.
// minCount 2 keeps the first three; ties (0:[1,2] vs 1:[2,3]) go to the lower start level.
const corpus = [1, 2, 3, 1, 2, 0, 1, 2, 3, 0, 2, 3];
const options = { levels: 3, codebook: 4 };

describe("learnSpm", () => {
  it("ranks shared spans by count, then length, then start level", () => {
    const v = learnSpm(corpus, { ...options, vocab: 100 });
    expect(v.learned).toBe(3);
    expect(v.pieces.slice(12)).toEqual([
      { start: 0, codes: [1, 2] },
      { start: 1, codes: [2, 3] },
      { start: 0, codes: [1, 2, 3] },
    ]);
    // Single tokens: (level l, code c) at row l·K + c.
    expect(v.pieces[2 * 4 + 1]).toEqual({ start: 2, codes: [1] });
    expect(v.row(0, [1, 2])).toBe(12);
    expect(v.row(1, [2, 0])).toBe(-1);
  });

  it("makes the frequent prefix a piece before anything else when the vocabulary is tight", () => {
    const v = learnSpm(corpus, { ...options, vocab: 13 });
    expect(v.pieces.slice(12)).toEqual([{ start: 0, codes: [1, 2] }]);
    expect(v.segment([1, 2, 3])).toEqual([12, 11]);
  });

  it("segments by longest match from the left (hand-worked)", () => {
    const v = learnSpm(corpus, { ...options, vocab: 15 });
    expect(v.segment([1, 2, 3])).toEqual([14]); // the whole tuple is a piece
    expect(v.segment([1, 2, 0])).toEqual([12, 8]); // prefix piece + (level 2, code 0)
    expect(v.segment([0, 2, 3])).toEqual([0, 13]); // (level 0, code 0) + piece 1:[2,3]
    expect(v.segment([3, 3, 3])).toEqual([3, 7, 11]); // never seen: single tokens
    // Offset into a strided table (tokensPerItem 4 with a suffix); the suffix is not segmented.
    expect(v.segment([9, 9, 9, 9, 1, 2, 3, 7], 4)).toEqual([14]);
  });

  it("weights tuples: a popular tuple becomes a piece, a weight-0 tuple contributes nothing", () => {
    const v = learnSpm([1, 2, 3, 0, 1, 1, 3, 3, 3], { ...options, vocab: 100, weights: [1, 5, 0] });
    expect(v.pieces.slice(12)).toEqual([
      { start: 0, codes: [0, 1] },
      { start: 1, codes: [1, 1] },
      { start: 0, codes: [0, 1, 1] },
    ]);
    expect(v.segment([3, 3, 3])).toEqual([3, 7, 11]);
  });

  it("is deterministic and independent of the corpus order", () => {
    const a = learnSpm(corpus, { ...options, vocab: 14 });
    const b = learnSpm(corpus, { ...options, vocab: 14 });
    const reversed = [0, 2, 3, 1, 2, 3, 1, 2, 0, 1, 2, 3];
    const c = learnSpm(reversed, { ...options, vocab: 14 });
    expect(b.pieces).toEqual(a.pieces);
    expect(c.pieces).toEqual(a.pieces);
  });

  it("rejects a vocabulary without room for every single code, and codes out of range", () => {
    expect(() => learnSpm(corpus, { ...options, vocab: 11 })).toThrow(/levels × codebook/);
    expect(() => learnSpm([1, 2, 4], { ...options, vocab: 20 })).toThrow(/outside 0\.\.3/);
  });
});
