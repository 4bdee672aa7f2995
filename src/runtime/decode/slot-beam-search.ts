// Beam search over fixed beam slots, for decoders that cache state per slot. Takes the number of
// sequences, a step function scoring the next token of `width` slots per sequence, the vocabulary
// size of every position, the width and a trie (or null); gives the same beams as beamSearch
// (same scores, same order, same tie-breaks: beam order, then lower token), best first.
// Each sequence owns slots [s·width, (s+1)·width); its live beams fill the first slots in rank
// order, the rest are idle (their scores are ignored). Every step tells the decoder which slot
// each new beam extends (its parent) and the token it adds, so a cache can be reordered by
// gathering parent rows. Selection runs on typed arrays in one pass per sequence: candidates are
// visited in (beam, token) order and kept in a sorted buffer of `width`, inserting after equal
// scores, which reproduces the stable (score ↓, beam ↑, token ↑) order without sorting them all.
// A step may answer with a promise (GPU read-back is asynchronous), so the search is async.
// `skip` masks, per sequence, the trie nodes of seen items as beamSearch does.
import { checkSkip, type Beam, type BeamSearchOptions } from "./beam-search.js";

/**
 * t: the position being decoded; tokens[j] / parents[j]: the token slot j's beam added last and
 * the slot it came from (both unused at t = 0, when only each sequence's first slot is live).
 * Returns [count·width × sizes[t]] log-probabilities of the next token per slot.
 */
export type SlotStep = (t: number, tokens: Int32Array, parents: Int32Array) => Float32Array | Promise<Float32Array>;

export async function slotBeamSearch(count: number, step: SlotStep, options: BeamSearchOptions): Promise<Beam[][]> {
  const { width, sizes, trie } = options;
  const skip = options.skip ?? null;
  const depth = sizes.length;
  if (trie !== null && trie.depth !== depth) throw new Error(`slotBeamSearch: trie depth ${trie.depth} ≠ ID length ${depth}`);
  checkSkip(skip, trie, depth, count, "slotBeamSearch");
  const slots = count * width;
  let live = new Int32Array(count).fill(1);
  let scores = new Float64Array(slots);
  let nodes = new Int32Array(slots);
  let prefixes = new Int32Array(slots * depth);
  let tokens = new Int32Array(slots);
  let parents = Int32Array.from({ length: slots }, (_, j) => j);
  // Candidate buffer of one sequence.
  const bufScore = new Float64Array(width);
  const bufSlot = new Int32Array(width);
  const bufToken = new Int32Array(width);
  const bufNode = new Int32Array(width);
  const unconstrained = (size: number) => Int32Array.from({ length: size }, (_, i) => i);
  for (let t = 0; t < depth; t++) {
    const size = sizes[t];
    const logp = await step(t, tokens, parents);
    if (logp.length !== slots * size) throw new Error(`slotBeamSearch: step ${t} gave ${logp.length} scores, expected ${slots} × ${size}`);
    const all = trie === null ? unconstrained(size) : null;
    const nextLive = new Int32Array(count);
    const nextScores = new Float64Array(slots);
    const nextNodes = new Int32Array(slots);
    const nextPrefixes = new Int32Array(slots * depth);
    const nextTokens = new Int32Array(slots);
    const nextParents = new Int32Array(slots);
    for (let s = 0; s < count; s++) {
      let filled = 0;
      const blocked = skip === null ? null : skip.blocked[s];
      for (let b = 0; b < live[s]; b++) {
        const slot = s * width + b;
        const base = slot * size;
        const score = scores[slot];
        const allowed = all ?? trie!.allowed(nodes[slot]);
        const children = trie === null ? null : trie.allowedChildren(nodes[slot]);
        for (let a = 0; a < allowed.length; a++) {
          const token = allowed[a];
          if (token < 0 || token >= size) continue;
          const value = score + logp[base + token];
          if (filled === width && !(value > bufScore[width - 1])) continue;
          let node = children === null ? -1 : children[a];
          // Checked only for candidates that would enter the buffer (a skipped one changes nothing).
          if (blocked !== null) {
            // Unconstrained: walked along skip's trie while the beam stays on it (−1 once off).
            if (children === null && nodes[slot] >= 0) node = skip!.trie.child(nodes[slot], token);
            if (blocked.has(node)) continue;
          }
          // Insert after every buffered candidate scoring ≥ value (stable order).
          let at = filled < width ? filled++ : width - 1;
          while (at > 0 && bufScore[at - 1] < value) {
            bufScore[at] = bufScore[at - 1];
            bufSlot[at] = bufSlot[at - 1];
            bufToken[at] = bufToken[at - 1];
            bufNode[at] = bufNode[at - 1];
            at--;
          }
          bufScore[at] = value;
          bufSlot[at] = slot;
          bufToken[at] = token;
          bufNode[at] = node;
        }
      }
      nextLive[s] = filled;
      for (let k = 0; k < filled; k++) {
        const slot = s * width + k;
        nextScores[slot] = bufScore[k];
        nextNodes[slot] = bufNode[k];
        nextTokens[slot] = bufToken[k];
        nextParents[slot] = bufSlot[k];
        nextPrefixes.set(prefixes.subarray(bufSlot[k] * depth, bufSlot[k] * depth + t), slot * depth);
        nextPrefixes[slot * depth + t] = bufToken[k];
      }
      // Idle slots extend the sequence's first slot (any row of it would do).
      for (let k = filled; k < width; k++) nextParents[s * width + k] = s * width;
    }
    live = nextLive;
    scores = nextScores;
    nodes = nextNodes;
    prefixes = nextPrefixes;
    tokens = nextTokens;
    parents = nextParents;
  }
  return Array.from({ length: count }, (_, s) =>
    Array.from({ length: live[s] }, (_, k) => {
      const slot = s * width + k;
      return {
        tokens: prefixes.slice(slot * depth, (slot + 1) * depth),
        score: scores[slot],
      };
    }),
  );
}
