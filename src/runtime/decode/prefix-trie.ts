// A prefix trie over valid Semantic IDs. Takes items' token tuples (all of one length); gives,
// for any prefix, the tokens that may follow it and, for a whole ID, the item(s) it names. Beam
// search constrained by it can only finish on valid IDs (TIGER: 0% invalid). Nodes are numbered
// from 0 (the root); children are kept per node in insertion order, sorted on first read. Each
// node counts the items under it, so a search can tell when a user has seen all of them.

export class PrefixTrie {
  private readonly children: Map<number, number>[] = [new Map()];
  private readonly leafItems: (number[] | undefined)[] = [undefined];
  private readonly sortedCache: (Int32Array | undefined)[] = [undefined];
  private readonly childCache: (Int32Array | undefined)[] = [undefined];
  /** Items whose ID extends each node's prefix. */
  private readonly under: number[] = [0];
  private size = 0;

  constructor(readonly depth: number) {
    if (!Number.isInteger(depth) || depth < 1) throw new Error(`PrefixTrie: depth must be a positive integer, got ${depth}`);
  }

  /** Number of IDs inserted (items, counting ones that share an ID). */
  get count(): number {
    return this.size;
  }

  insert(tokens: ArrayLike<number>, item: number): void {
    if (tokens.length !== this.depth) throw new Error(`PrefixTrie: ID of length ${tokens.length}, expected ${this.depth}`);
    let node = 0;
    this.under[0]++;
    for (let t = 0; t < this.depth; t++) {
      let next = this.children[node].get(tokens[t]);
      if (next === undefined) {
        next = this.children.length;
        this.children.push(new Map());
        this.leafItems.push(undefined);
        this.sortedCache.push(undefined);
        this.childCache.push(undefined);
        this.under.push(0);
        this.children[node].set(tokens[t], next);
        this.sortedCache[node] = undefined;
        this.childCache[node] = undefined;
      }
      node = next;
      this.under[node]++;
    }
    (this.leafItems[node] ??= []).push(item);
    this.size++;
  }

  /** The child of `node` along `token`, or −1. */
  child(node: number, token: number): number {
    return this.children[node]?.get(token) ?? -1;
  }

  /** The node a prefix leads to, or −1 when no ID starts with it. */
  find(prefix: ArrayLike<number>): number {
    let node = 0;
    for (let t = 0; t < prefix.length && node >= 0; t++) node = this.child(node, prefix[t]);
    return node;
  }

  /** Tokens that may follow the prefix ending at `node`, ascending. */
  allowed(node: number): Int32Array {
    let cached = this.sortedCache[node];
    if (cached === undefined) {
      cached = Int32Array.from(this.children[node].keys()).sort();
      this.sortedCache[node] = cached;
    }
    return cached;
  }

  /** The child nodes along allowed(node), in the same order (no map look-up per token). */
  allowedChildren(node: number): Int32Array {
    let cached = this.childCache[node];
    if (cached === undefined) {
      const tokens = this.allowed(node);
      cached = Int32Array.from(tokens, (token) => this.children[node].get(token)!);
      this.childCache[node] = cached;
    }
    return cached;
  }

  /** Items whose whole ID is `tokens` (empty when it names none). */
  items(tokens: ArrayLike<number>): readonly number[] {
    if (tokens.length !== this.depth) return [];
    const node = this.find(tokens);
    return node < 0 ? [] : (this.leafItems[node] ?? []);
  }

  /** How many items (IDs inserted) extend the prefix ending at `node`; the root counts all. */
  itemsUnder(node: number): number {
    return this.under[node] ?? 0;
  }

  /**
   * The nodes along `item`'s ID `tokens`, root first ([depth + 1]), or null when the trie does not
   * hold the item under that ID (e.g. a cold item in a trie of warm ones).
   */
  pathOf(tokens: ArrayLike<number>, item: number): Int32Array | null {
    if (tokens.length !== this.depth) return null;
    const path = new Int32Array(this.depth + 1);
    for (let t = 0; t < this.depth; t++) {
      path[t + 1] = this.child(path[t], tokens[t]);
      if (path[t + 1] < 0) return null;
    }
    return this.leafItems[path[this.depth]]?.includes(item) ? path : null;
  }

  /** Every item below `node` (all IDs that extend its prefix), in insertion order per branch. */
  itemsBelow(node: number): number[] {
    const out: number[] = [];
    const stack = [node];
    while (stack.length) {
      const n = stack.pop()!;
      const leaf = this.leafItems[n];
      if (leaf) out.push(...leaf);
      for (const c of [...this.children[n].values()].reverse()) stack.push(c);
    }
    return out;
  }
}

/** A trie of the items' IDs: row i of codes [(numItems + 1) × tokensPerItem], for items where keep(i). */
export function trieOfItems(codes: Int32Array, tokensPerItem: number, keep: (item: number) => boolean = () => true): PrefixTrie {
  const trie = new PrefixTrie(tokensPerItem);
  const rows = codes.length / tokensPerItem;
  for (let i = 1; i < rows; i++) if (keep(i)) trie.insert(codes.subarray(i * tokensPerItem, (i + 1) * tokensPerItem), i);
  return trie;
}
