// Beam search over Semantic-ID tokens, optionally constrained by a prefix trie. Takes the number
// of sequences to decode, a step function giving next-token log-probabilities for a batch of
// prefixes, the vocabulary size of every position, the width, and a trie (or null). Gives, per
// sequence, up to `width` complete IDs with their summed log-probabilities, best first.
// Constrained: a beam may only grow by a token the trie allows after its prefix, so every result
// is a valid ID; scores are the model's own log-probabilities (no renormalisation over allowed
// tokens, as masking log-softmax scores does). Ties break by beam order, then lower token.
// With `skip` (a user's seen items), a beam never enters a trie node all of whose items are seen:
// the search then finishes on `width` unseen IDs where there are as many. Unconstrained, the
// beams are walked along skip's trie as far as they stay on it, and masked the same way.
// A step may answer with a promise (a GPU backend reads its scores back asynchronously), so the
// search is async; a step that answers at once costs one microtask per position.
import type { PrefixTrie } from "./prefix-trie.js";
import type { SeenItems } from "./seen-items.js";

/**
 * prefixes: [n × t] row-major (t tokens decoded so far, t = 0 at the first step); owners: which
 * sequence each prefix belongs to. Returns [n × sizes[t]] log-probabilities of the next token.
 */
export type BeamStep = (prefixes: Int32Array, t: number, owners: Int32Array) => Float32Array | Promise<Float32Array>;

export interface Beam {
  readonly tokens: Int32Array;
  readonly score: number;
}

export interface BeamSearchOptions {
  readonly width: number;
  /** Vocabulary size of each position; its length is the ID length. */
  readonly sizes: readonly number[];
  /** Restrict beams to prefixes of IDs in the trie; null: unconstrained. */
  readonly trie: PrefixTrie | null;
  /** Per sequence, the nodes its beams may not enter (seen items); absent: none. Constrained, of `trie` itself. */
  readonly skip?: SeenItems | null;
}

export async function beamSearch(count: number, step: BeamStep, options: BeamSearchOptions): Promise<Beam[][]> {
  const { width, sizes, trie } = options;
  const skip = options.skip ?? null;
  const depth = sizes.length;
  if (trie !== null && trie.depth !== depth) throw new Error(`beamSearch: trie depth ${trie.depth} ≠ ID length ${depth}`);
  checkSkip(skip, trie, depth, count, "beamSearch");
  // Per sequence: beams as (tokens, score, trie node).
  let beams: { tokens: Int32Array; score: number; node: number }[][] = Array.from({ length: count }, () => [{ tokens: new Int32Array(0), score: 0, node: 0 }]);
  for (let t = 0; t < depth; t++) {
    const flat: number[] = [];
    const owners: number[] = [];
    for (let s = 0; s < count; s++)
      for (const b of beams[s]) {
        flat.push(...b.tokens);
        owners.push(s);
      }
    const n = owners.length;
    if (n === 0) break;
    const logp = await step(Int32Array.from(flat), t, Int32Array.from(owners));
    const size = sizes[t];
    if (logp.length !== n * size) throw new Error(`beamSearch: step ${t} gave ${logp.length} scores, expected ${n} × ${size}`);
    let row = 0;
    const next: typeof beams = [];
    for (let s = 0; s < count; s++) {
      const candidates: {
        beam: number;
        token: number;
        score: number;
        node: number;
      }[] = [];
      const blocked = skip === null ? null : skip.blocked[s];
      beams[s].forEach((b, bi) => {
        const base = (row + bi) * size;
        if (trie !== null) {
          for (const token of trie.allowed(b.node)) {
            if (token < 0 || token >= size) continue;
            const node = trie.child(b.node, token);
            if (blocked !== null && blocked.has(node)) continue;
            candidates.push({
              beam: bi,
              token,
              score: b.score + logp[base + token],
              node,
            });
          }
        } else {
          for (let token = 0; token < size; token++) {
            // Off skip's trie (−1) a beam names no item, seen or not.
            const node = skip === null || b.node < 0 ? -1 : skip.trie.child(b.node, token);
            if (blocked !== null && blocked.has(node)) continue;
            candidates.push({
              beam: bi,
              token,
              score: b.score + logp[base + token],
              node,
            });
          }
        }
      });
      row += beams[s].length;
      candidates.sort((a, b) => b.score - a.score || a.beam - b.beam || a.token - b.token);
      next.push(
        candidates.slice(0, width).map((c) => {
          const parent = beams[s][c.beam].tokens;
          const tokens = new Int32Array(parent.length + 1);
          tokens.set(parent);
          tokens[parent.length] = c.token;
          return { tokens, score: c.score, node: c.node };
        }),
      );
    }
    beams = next;
  }
  return beams.map((list) => list.map((b) => ({ tokens: b.tokens, score: b.score })));
}

/** Rejects a skip list that does not fit the search: its trie must be the search's own when constrained. */
export function checkSkip(skip: SeenItems | null, trie: PrefixTrie | null, depth: number, count: number, caller: string): void {
  if (skip === null) return;
  if (trie !== null && skip.trie !== trie) throw new Error(`${caller}: a constrained search skips nodes of its own trie`);
  if (skip.trie.depth !== depth) throw new Error(`${caller}: skip trie depth ${skip.trie.depth} ≠ ID length ${depth}`);
  if (skip.blocked.length !== count) throw new Error(`${caller}: ${skip.blocked.length} skip lists for ${count} sequences`);
}

export interface DecodedItems {
  /** Per sequence: the items the beams name, best first, with the beam's score. */
  readonly items: { item: number; score: number }[][];
  /** Beams that named no item. */
  readonly invalid: number;
  /** All beams returned. */
  readonly total: number;
}

/** Maps beams back to items through a trie of valid IDs, counting beams that name none. */
export function beamsToItems(beams: readonly Beam[][], trie: PrefixTrie): DecodedItems {
  let invalid = 0;
  let total = 0;
  const items = beams.map((list) => {
    const out: { item: number; score: number }[] = [];
    for (const b of list) {
      total++;
      const found = trie.items(b.tokens);
      if (found.length === 0) invalid++;
      for (const item of found) out.push({ item, score: b.score });
    }
    return out;
  });
  return { items, invalid, total };
}

/** Share of beams that named no item (TIGER reports 0.1–1.6% of top-10 unconstrained). */
export function invalidRate(decoded: DecodedItems): number {
  return decoded.total === 0 ? 0 : decoded.invalid / decoded.total;
}
