// A SentencePiece-style vocabulary over Semantic-ID code sequences (Singh et al. 2023, PAPERS.md
// §2), and the segmenter that cuts an item's codes into pieces. Takes the corpus's code tuples
// (one per item, with a weight per item: how often it occurs in training) and a vocabulary size;
// gives a deterministic vocabulary whose rows are embedding-table rows, and segment(codes) → rows.
//
// Tokens are position-aware: code c at level l is the token (l, c), so "code 5 at level 0" and
// "code 5 at level 1" are different symbols. A piece is a contiguous span of tokens, written
// (start level, codes), e.g. (0, [3, 7]) is "3 at level 0 followed by 7 at level 1".
//
// Learning (a frequency-ranked substring vocabulary, like the seed vocabulary SentencePiece's
// unigram model starts from, without its EM pruning):
//   1. Rows 0 … L·K−1 are every single token: (l, c) → row l·K + c, seen in the corpus or not, so
//      every code tuple — a cold item's included — can always be segmented.
//   2. Every span of length ≥ 2 of every corpus tuple is counted with the tuple's weight
//      (count(span) = total weight of the tuples containing it).
//   3. Spans with count ≥ minCount are ranked by count (descending), then length (shorter first),
//      start level, codes (lexicographic), and the first vocab − L·K become rows L·K, L·K+1, ….
// A span's count never exceeds that of its sub-spans, and shorter spans win ties, so every
// sub-span of a chosen span is chosen too (the vocabulary is closed under sub-spans), and among
// spans that start at level 0 — prefixes — the frequent ones become pieces first: a popular item's
// whole tuple may become one piece, a rare item is cut into the shared pieces of its prefix.
//
// Segmentation: greedy longest match from the left — at level p take the longest piece of the
// vocabulary that starts at p and matches the codes, then continue after it. Single tokens always
// match, so segmentation never fails.

export interface SpmPiece {
  /** Level of the first code. */
  readonly start: number;
  readonly codes: readonly number[];
}

export interface SpmOptions {
  /** L: codes per tuple that are segmented (the collision suffix, if any, is left out). */
  readonly levels: number;
  /** K: codes per level. */
  readonly codebook: number;
  /** Vocabulary size V ≥ L·K: rows of the embedding table. */
  readonly vocab: number;
  /** Entries per item in `codes` (≥ levels; e.g. levels + 1 with a collision suffix). Default levels. */
  readonly stride?: number;
  /** Per tuple (same length as the tuple count): its weight in the corpus; 0 leaves it out. Default 1. */
  readonly weights?: ArrayLike<number>;
  /** Least total weight a span needs to become a piece (default 2: seen at least twice). */
  readonly minCount?: number;
  /** Tuples to skip at the start of `codes` (default 0; 1 skips the padding row 0). */
  readonly firstRow?: number;
}

export class SpmVocabulary {
  /** Row → piece; rows 0 … L·K−1 are the single tokens. */
  readonly pieces: readonly SpmPiece[];
  /** Learned spans of length ≥ 2 (pieces.length − L·K). */
  readonly learned: number;
  private readonly rowOf: Map<string, number>;

  constructor(
    readonly levels: number,
    readonly codebook: number,
    /** The declared size V (table rows), ≥ pieces.length. */
    readonly size: number,
    spans: readonly SpmPiece[],
  ) {
    const pieces: SpmPiece[] = [];
    for (let l = 0; l < levels; l++) for (let c = 0; c < codebook; c++) pieces.push({ start: l, codes: [c] });
    pieces.push(...spans);
    if (pieces.length > size) throw new Error(`SpmVocabulary: ${pieces.length} pieces do not fit a vocabulary of ${size}`);
    this.pieces = pieces;
    this.learned = spans.length;
    this.rowOf = new Map();
    spans.forEach((p, i) => this.rowOf.set(pieceKey(p.start, p.codes), levels * codebook + i));
  }

  /** The row of a piece, or -1 when it is not in the vocabulary. */
  row(start: number, codes: readonly number[]): number {
    if (codes.length === 1) return start * this.codebook + codes[0];
    return this.rowOf.get(pieceKey(start, codes)) ?? -1;
  }

  /** Rows of the pieces of one tuple (its first `levels` codes), left to right, longest match first. */
  segment(codes: ArrayLike<number>, offset = 0): number[] {
    const L = this.levels;
    const out: number[] = [];
    let p = 0;
    while (p < L) {
      let taken = 1;
      let row = p * this.codebook + checkCode(codes[offset + p], this.codebook);
      for (let len = L - p; len >= 2; len--) {
        const r = this.rowOf.get(pieceKey(p, slice(codes, offset + p, len)));
        if (r !== undefined) {
          taken = len;
          row = r;
          break;
        }
      }
      out.push(row);
      p += taken;
    }
    return out;
  }
}

/** Learns the vocabulary from `codes` (tuples of `stride` entries, row-major), as the header says. */
export function learnSpm(codes: ArrayLike<number>, options: SpmOptions): SpmVocabulary {
  const { levels: L, codebook: K, vocab } = options;
  const stride = options.stride ?? L;
  const minCount = options.minCount ?? 2;
  if (!Number.isInteger(L) || L < 1 || stride < L) throw new Error(`learnSpm: bad levels ${L} / stride ${stride}`);
  if (vocab < L * K) {
    throw new Error(`spm: vocab ${vocab} is smaller than levels × codebook = ${L * K}; every single code needs a row`);
  }
  const tuples = Math.floor(codes.length / stride);
  if (options.weights !== undefined && options.weights.length !== tuples) {
    throw new Error(`learnSpm: ${options.weights.length} weights for ${tuples} tuples`);
  }
  const counts = new Map<string, { start: number; codes: number[]; count: number }>();
  for (let t = options.firstRow ?? 0; t < tuples; t++) {
    const w = options.weights === undefined ? 1 : options.weights[t];
    if (!(w > 0)) continue;
    const base = t * stride;
    for (let s = 0; s < L; s++) checkCode(codes[base + s], K);
    for (let s = 0; s < L; s++) {
      for (let len = 2; s + len <= L; len++) {
        const span = slice(codes, base + s, len);
        const key = pieceKey(s, span);
        const entry = counts.get(key);
        if (entry === undefined) counts.set(key, { start: s, codes: span, count: w });
        else entry.count += w;
      }
    }
  }
  const ranked = [...counts.values()].filter((e) => e.count >= minCount);
  ranked.sort((a, b) => b.count - a.count || a.codes.length - b.codes.length || a.start - b.start || compareCodes(a.codes, b.codes));
  const spans = ranked.slice(0, vocab - L * K).map((e) => ({ start: e.start, codes: e.codes }));
  return new SpmVocabulary(L, K, vocab, spans);
}

function pieceKey(start: number, codes: readonly number[]): string {
  return `${start}:${codes.join(",")}`;
}

function slice(codes: ArrayLike<number>, from: number, len: number): number[] {
  const out = new Array<number>(len);
  for (let i = 0; i < len; i++) out[i] = codes[from + i];
  return out;
}

function compareCodes(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

function checkCode(c: number, K: number): number {
  if (!Number.isInteger(c) || c < 0 || c >= K) throw new Error(`spm: code ${c} is outside 0..${K - 1}`);
  return c;
}
