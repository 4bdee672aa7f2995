// Ranking items by decoding their Semantic IDs: beam search of `width` beams, constrained by a
// trie of the items seen in training (or unconstrained, counting invalid IDs). Items never seen in
// training (cold) are retrieved by matching the first `levels` tokens of the decoded beams, just
// below the matching beam's score, and hold at most ⌊ε · width⌋ of the list (ε = coldStartShare).
// Every item not retrieved scores −Infinity. Given each history's seen items (exclude), the search
// skips them (beam-search.ts `skip`: whole IDs of seen items, and prefixes all of whose items are
// seen, are masked for that history's beams), so a list still holds `width` unseen items where
// the trie has as many; seen cold items are left out of the prefix matches. Unconstrained, beams
// are walked along the trie of every item and masked alike: none names a seen item, though some
// may still name no item at all (counted invalid). Takes the token layout, the data's warm/cold
// items, plain settings, and per call a Seq2SeqDecoding (the generated model's encoder, decoder
// and output head); gives scores [B, N + 1] or per-history item lists.
// The search runs cached (layers/incremental-decoder.ts: one encoder pass per chunk,
// cross-attention keys/values once per layer, one new position per step, the beams of a history
// sharing its memory); retrieveReference re-decodes every prefix, to check it against.
// Scores are read back with `await data()` (a GPU backend has no synchronous read), so scoring
// and retrieval are async.
import * as tf from "@tensorflow/tfjs-core";
import type { IncrementalDecoder } from "../layers/incremental-decoder.js";
import { START_TOKEN, type SemanticIdLayout } from "../models/generative.js";
import { usedLength } from "../models/sequence-input.js";
import type { PreparedData } from "../pipeline/prepare-data.js";
import { beamSearch, beamsToItems, type Beam } from "./beam-search.js";
import { trieOfItems, type PrefixTrie } from "./prefix-trie.js";
import { seenItemsOf, type SeenItems } from "./seen-items.js";
import { slotBeamSearch } from "./slot-beam-search.js";

/** What the search needs of an encoder–decoder model (all at inference). */
export interface Seq2SeqDecoding {
  /** Encoder output [C, S, d] and the source mask [C, S] of histories [C, T]. */
  encode(histories: Int32Array, count: number, users: Int32Array | undefined): { memory: tf.Tensor3D; mask: tf.Tensor2D };
  /** Decoder hidden states [n, len, d] of whole inputs [n, len] (start token first). */
  decode(inputs: Int32Array, n: number, len: number, memory: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor3D;
  /** A step-by-step decoder over the memory. */
  incrementalDecoder(memory: tf.Tensor3D, mask: tf.Tensor2D): IncrementalDecoder;
  /** The embedded decoder input [n, d] at position t for global token ids [n]. */
  stepInput(ids: Int32Array, t: number): tf.Tensor2D;
  /** Logits [n, sizes[l]] of position l's codes from hidden states [n, d]. */
  levelLogits(h: tf.Tensor2D, l: number): tf.Tensor2D;
}

export interface RetrievalSettings {
  /** Beams kept per step, and the length of each ranked list. */
  readonly width: number;
  /** Decode only IDs of warm items (prefix trie); false: any token, invalid IDs counted. */
  readonly constrained: boolean;
  /** ε: the most of a list cold items may take. */
  readonly coldStartShare: number;
}

export interface DecodeStats {
  /** Beams that named no item (unconstrained decoding only). */
  invalid: number;
  total: number;
}

export type RankedItems = { item: number; score: number }[];

/** Per history, the items to leave out (a user's seen items); null or undefined: none. */
export type SeenLists = readonly (ArrayLike<number> | null | undefined)[];

export class SemanticIdRetrieval {
  /** Counts of the last scoring calls (reset with resetDecodeStats). */
  readonly decodeStats: DecodeStats = { invalid: 0, total: 0 };
  /** Histories decoded per forward pass inside scoreItems. */
  decodeChunk = 64;
  private readonly numItems: number;
  private readonly warmTrie: PrefixTrie;
  private readonly fullTrie: PrefixTrie;
  /** Cold items by their first `levels` tokens. */
  private readonly coldByPrefix = new Map<string, number[]>();

  constructor(
    private readonly layout: SemanticIdLayout,
    data: Pick<PreparedData, "numItems" | "trainCounts" | "coldMask">,
    readonly settings: RetrievalSettings,
  ) {
    this.numItems = data.numItems;
    // Warm items: seen in training. Only they are decoded; cold ones come in by prefix.
    const warm = new Uint8Array(data.numItems + 1);
    for (let i = 1; i <= data.numItems; i++) warm[i] = data.trainCounts[i] > 0 && data.coldMask[i] === 0 ? 1 : 0;
    const t = layout.tokensPerItem;
    this.warmTrie = trieOfItems(layout.codes, t, (i) => warm[i] === 1);
    this.fullTrie = trieOfItems(layout.codes, t);
    for (let i = 1; i <= data.numItems; i++) {
      if (warm[i]) continue;
      const key = Array.from(layout.codes.subarray(i * t, i * t + layout.levels)).join(",");
      const list = this.coldByPrefix.get(key);
      if (list) list.push(i);
      else this.coldByPrefix.set(key, [i]);
    }
  }

  /** Scores [count, N + 1]: the retrieved items' beam scores, −Infinity elsewhere; exclude[r]: row r's items to skip. */
  async scoreItems(
    model: Seq2SeqDecoding,
    histories: Int32Array,
    count: number,
    historyLength: number,
    users?: Int32Array,
    exclude?: SeenLists,
  ): Promise<tf.Tensor2D> {
    if (exclude !== undefined && exclude.length !== count) throw new Error(`scoreItems: ${exclude.length} exclusion lists for ${count} histories`);
    const scores = new Float32Array(count * (this.numItems + 1)).fill(-Infinity);
    const tl = historyLength;
    // Chunks of histories of similar length: the source is cut to the longest of its chunk, so
    // mixing long and short histories would encode (and cross-attend over) mostly padding.
    const order = Int32Array.from({ length: count }, (_, i) => i).sort(
      (a, b) => usedLength(histories.subarray(a * tl), 1, tl) - usedLength(histories.subarray(b * tl), 1, tl) || a - b,
    );
    for (let first = 0; first < count; first += this.decodeChunk) {
      const c = Math.min(this.decodeChunk, count - first);
      const rows = order.subarray(first, first + c);
      const chunk = new Int32Array(c * tl);
      rows.forEach((r, i) => chunk.set(histories.subarray(r * tl, (r + 1) * tl), i * tl));
      const chunkUsers = users === undefined ? undefined : Int32Array.from(rows, (r) => users[r]);
      const lists = await this.retrieve(model, chunk, c, chunkUsers, exclude === undefined ? undefined : Array.from(rows, (r) => exclude[r]));
      lists.forEach((list, i) => {
        for (const { item, score } of list) scores[rows[i] * (this.numItems + 1) + item] = score;
      });
    }
    return tf.tensor2d(scores, [count, this.numItems + 1]);
  }

  /** Per history: up to `width` items with scores, best first (cold items capped by ε), none of exclude[s]. */
  async retrieve(model: Seq2SeqDecoding, histories: Int32Array, count: number, users?: Int32Array, exclude?: SeenLists): Promise<RankedItems[]> {
    const skip = this.skipOf(exclude, count);
    return this.itemsOfBeams(await this.cachedBeams(model, histories, count, users, skip), exclude);
  }

  /**
   * retrieve by the straightforward search: every step re-decodes each beam's whole prefix
   * against its own copy of the encoder memory. Slow; kept to check the cached path against.
   */
  async retrieveReference(model: Seq2SeqDecoding, histories: Int32Array, count: number, users?: Int32Array, exclude?: SeenLists): Promise<RankedItems[]> {
    const skip = this.skipOf(exclude, count);
    return this.itemsOfBeams(await this.referenceBeams(model, histories, count, users, skip), exclude);
  }

  /** Share of decoded beams that named no item since the last reset (unconstrained decoding). */
  invalidRate(): number {
    return this.decodeStats.total === 0 ? 0 : this.decodeStats.invalid / this.decodeStats.total;
  }

  resetDecodeStats(): void {
    this.decodeStats.invalid = 0;
    this.decodeStats.total = 0;
  }

  private searchOptions(skip: SeenItems | null) {
    return { width: this.settings.width, sizes: this.layout.sizes, trie: this.settings.constrained ? this.warmTrie : null, skip };
  }

  /** The nodes each history's beams may not enter: of the warm trie when constrained, else of every item's. */
  private skipOf(exclude: SeenLists | undefined, count: number): SeenItems | null {
    if (exclude === undefined) return null;
    if (exclude.length !== count) throw new Error(`retrieve: ${exclude.length} exclusion lists for ${count} histories`);
    const trie = this.settings.constrained ? this.warmTrie : this.fullTrie;
    return seenItemsOf(trie, this.layout.codes, this.layout.tokensPerItem, exclude);
  }

  /**
   * Beams of the cached path: one encoder pass per chunk, cross-attention keys/values once per
   * layer, the beams of a history querying its memory together, one new position per step.
   */
  private async cachedBeams(
    model: Seq2SeqDecoding,
    histories: Int32Array,
    count: number,
    users: Int32Array | undefined,
    skip: SeenItems | null,
  ): Promise<Beam[][]> {
    const { width } = this.settings;
    const { offsets, sizes } = this.layout;
    const { memory, mask } = model.encode(histories, count, users);
    const decoder = model.incrementalDecoder(memory, mask);
    try {
      return await slotBeamSearch(
        count,
        async (t, tokens, parents) => {
          // Step 0 has one live beam per history: decode `count` rows, not count × width.
          const n = t === 0 ? count : tokens.length;
          const hidden = tf.tidy(() => {
            // Decoder input at position t: the start token, then the token decoded at t − 1.
            const ids = t === 0 ? new Int32Array(n).fill(START_TOKEN) : Int32Array.from(tokens, (code) => offsets[t - 1] + code);
            const x = model.stepInput(ids, t);
            // At step 1 every parent is its history's first slot s·width, row s of step 0.
            const rows = t === 1 ? parents.map((p) => Math.floor(p / width)) : parents;
            return decoder.step(x, rows);
          });
          // Read outside tidy: tidy would walk every element of a returned typed array.
          const logp = tf.tidy(() => tf.logSoftmax(model.levelLogits(hidden, t)));
          hidden.dispose();
          try {
            const values = (await logp.data()) as Float32Array;
            if (t > 0) return values;
            // Spread row s to slot s·width; the idle slots' scores are never read.
            const size = sizes[0];
            const spread = new Float32Array(tokens.length * size);
            for (let s = 0; s < count; s++) spread.set(values.subarray(s * size, (s + 1) * size), s * width * size);
            return spread;
          } finally {
            logp.dispose();
          }
        },
        this.searchOptions(skip),
      );
    } finally {
      decoder.dispose();
      memory.dispose();
      mask.dispose();
    }
  }

  private async referenceBeams(
    model: Seq2SeqDecoding,
    histories: Int32Array,
    count: number,
    users: Int32Array | undefined,
    skip: SeenItems | null,
  ): Promise<Beam[][]> {
    const { offsets } = this.layout;
    const { memory, mask } = model.encode(histories, count, users);
    try {
      return await beamSearch(
        count,
        async (prefixes, t, owners) => {
          const logp = tf.tidy(() => {
            const n = owners.length;
            const inputs = new Int32Array(n * (t + 1));
            for (let i = 0; i < n; i++) {
              inputs[i * (t + 1)] = START_TOKEN;
              for (let l = 0; l < t; l++) inputs[i * (t + 1) + 1 + l] = offsets[l] + prefixes[i * t + l];
            }
            const ownersT = tf.tensor1d(owners, "int32");
            const hidden = model.decode(inputs, n, t + 1, tf.gather(memory, ownersT) as tf.Tensor3D, tf.gather(mask, ownersT) as tf.Tensor2D);
            const d = hidden.shape[2];
            const last = tf.reshape(tf.slice(hidden, [0, t, 0], [n, 1, d]), [n, d]) as tf.Tensor2D;
            return tf.logSoftmax(model.levelLogits(last, t));
          });
          try {
            return (await logp.data()) as Float32Array;
          } finally {
            logp.dispose();
          }
        },
        this.searchOptions(skip),
      );
    } finally {
      memory.dispose();
      mask.dispose();
    }
  }

  /** Items of the beams (cold ones added by prefix, capped by ε), counting invalid beams, none of exclude[s]. */
  private itemsOfBeams(beams: Beam[][], exclude: SeenLists | undefined): RankedItems[] {
    const { width, constrained, coldStartShare } = this.settings;
    const decoded = beamsToItems(beams, constrained ? this.warmTrie : this.fullTrie);
    this.decodeStats.invalid += decoded.invalid;
    this.decodeStats.total += decoded.total;
    const coldCap = Math.floor(coldStartShare * width);
    const levels = this.layout.levels;
    return decoded.items.map((decodedList, s) => {
      const excluded = exclude?.[s];
      // The search skipped whole IDs of seen items; an ID two items share may still name a seen one.
      const skipped = excluded ? new Set(Array.from(excluded)) : null;
      const warmList = skipped === null ? decodedList : decodedList.filter(({ item }) => !skipped.has(item));
      if (coldCap === 0 || this.coldByPrefix.size === 0) return warmList.slice(0, width);
      const cold: RankedItems = [];
      // Unconstrained beams may decode a cold item themselves: it is listed once, at its beam.
      const seen = new Set<number>(skipped);
      for (const { item } of warmList) seen.add(item);
      for (const beam of beams[s]) {
        const matches = this.coldByPrefix.get(Array.from(beam.tokens.subarray(0, levels)).join(","));
        if (!matches) continue;
        for (const item of matches) {
          if (seen.has(item)) continue;
          seen.add(item);
          // Just below the beam that matched: the warm item with that prefix stays ahead.
          cold.push({ item, score: beam.score - 1e-4 * (1 + cold.length) });
        }
      }
      const merged = [...warmList, ...cold.slice(0, coldCap)].sort((a, b) => b.score - a.score);
      return merged.slice(0, width);
    });
  }
}
