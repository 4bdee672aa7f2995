// Which trie nodes a user's beams may not enter, so that beam search skips the items the user has
// seen. Takes a prefix trie, the items' Semantic IDs and, per sequence, the items seen; gives, per
// sequence, the nodes every item under which is seen: a whole ID of a seen item (the last level's
// mask) and any shorter prefix none of whose items is left to recommend (a beam there could only
// end on a seen item, or on nothing, so it would waste its slot). A node is blocked when the seen
// items under it are as many as all its items, counted along each seen item's path.
import type { PrefixTrie } from "./prefix-trie.js";

export interface SeenItems {
  /** The trie the nodes are of: a constrained search's own, or one a free search is walked along. */
  readonly trie: PrefixTrie;
  /** Per sequence: the nodes whose every item is seen (empty when none is). */
  readonly blocked: readonly ReadonlySet<number>[];
}

/**
 * codes: [(N + 1) × tokensPerItem] row-major, row i item i's ID; seen[s]: sequence s's items
 * (repeats and items the trie does not hold are ignored).
 */
export function seenItemsOf(trie: PrefixTrie, codes: Int32Array, tokensPerItem: number, seen: readonly (ArrayLike<number> | null | undefined)[]): SeenItems {
  const blocked = seen.map((items) => {
    const out = new Set<number>();
    if (!items || items.length === 0) return out;
    const counts = new Map<number, number>();
    for (const item of new Set(Array.from(items))) {
      if (item <= 0 || (item + 1) * tokensPerItem > codes.length) continue;
      const path = trie.pathOf(codes.subarray(item * tokensPerItem, (item + 1) * tokensPerItem), item);
      if (path === null) continue;
      for (const node of path) counts.set(node, (counts.get(node) ?? 0) + 1);
    }
    for (const [node, n] of counts) if (n === trie.itemsUnder(node)) out.add(node);
    return out;
  });
  return { trie, blocked };
}
