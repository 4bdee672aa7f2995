// The reusable pieces of TIGER-style generative retrieval (Rajput et al. 2023), for generated
// model classes: the token layout over a quantizer's Semantic-ID table, the encoder's source
// tokens, the decoder's teacher-forced inputs and targets, the checks a model makes on the table
// it is given, and a training step's memory estimate. Takes the table and plain numbers; gives
// typed arrays of global token ids (the graph itself is the generated class's).
//
// Vocabulary (one token table, d_model wide, tied with the output layer):
//   0 pad · 1 decoder start · 2 reserved · level l's codes at offset[l] + code (base levels K
//   codes each, the collision suffix maxSuffix + 1) · user buckets after the last level.
// Source: [user token] + the last L history items' tokens, flattened (left padding → pad tokens,
// masked; all-padding leading columns are trimmed per batch). Positions are learned, numbered in
// the untrimmed window (the newest item always has the same positions).
import type { Batch } from "../data/batching.js";
import { hashIds } from "../layers/embedding.js";
import type { TransformerConfig } from "../layers/transformer.js";
import type { PreparedData } from "../pipeline/prepare-data.js";
import type { Quantizer } from "../quantizers/quantizer.js";
import { tableItems, type SemanticIdTable } from "../quantizers/semantic-id-table.js";
import { SpecRunError } from "../spec-run-error.js";
import { usedLength } from "./sequence-input.js";

/** Special tokens before the first code: pad, decoder start, reserved. */
export const SPECIAL_TOKENS = 3;
export const PAD_TOKEN = 0;
export const START_TOKEN = 1;

export interface SemanticIdLayout {
  /** (numItems + 1) × tokensPerItem codes of the table (row 0 the padding item). */
  readonly codes: Int32Array;
  /** Base levels of the quantizer (the collision suffix, when present, comes after them). */
  readonly levels: number;
  readonly tokensPerItem: number;
  /** Vocabulary size of each ID position. */
  readonly sizes: readonly number[];
  /** First token of each ID position. */
  readonly offsets: readonly number[];
  /** First user-bucket token; `buckets` of them (0: no user token). */
  readonly userOffset: number;
  readonly buckets: number;
  readonly vocabulary: number;
}

/** The vocabulary of a table: special tokens, each position's codes, then `userBuckets` user tokens. */
export function semanticIdLayout(table: SemanticIdTable, userBuckets: number): SemanticIdLayout {
  const sizes = Array.from({ length: table.tokensPerItem }, (_, l) => (l < table.levels ? table.codebook : table.collisions.maxSuffix + 1));
  const offsets: number[] = [];
  let next = SPECIAL_TOKENS;
  for (const s of sizes) {
    offsets.push(next);
    next += s;
  }
  return {
    codes: table.codes,
    levels: table.levels,
    tokensPerItem: table.tokensPerItem,
    sizes,
    offsets,
    userOffset: next,
    buckets: userBuckets,
    vocabulary: next + userBuckets,
  };
}

/**
 * The trained table of `quantizer` for `model`, checked against the data: one row per item, and
 * one item per ID (a table without collision suffix may give two items the same codes).
 */
export function semanticIdsFor(model: string, quantizer: Quantizer, data: Pick<PreparedData, "name" | "numItems">): SemanticIdTable {
  const table = quantizer.table;
  if (table === null) throw new Error(`model ${model}: quantizer ${quantizer.name} has no Semantic IDs yet (train or restore it first)`);
  const { levels, codebook, tokensPerItem, collisions } = table;
  if (tokensPerItem === levels && collisions.collidingItems > 0) {
    throw new SpecRunError(
      `model ${model} decodes one item per Semantic ID, but quantizer ${quantizer.name} (collisions = none) gives ` +
        `${collisions.collidingItems.toLocaleString("en-US")} of the ${tableItems(table).toLocaleString("en-US")} items of ${data.name} ` +
        `an ID another item also has: ${levels} levels × ${codebook} codes do not separate them; set collisions = suffix_token on ${quantizer.name}`,
    );
  }
  if (tableItems(table) !== data.numItems) throw new Error(`model ${model}: the Semantic-ID table has ${tableItems(table)} items, the data ${data.numItems}`);
  return table;
}

/** Writes an item's global token ids (pads for the padding item 0) to out[at … at + tokensPerItem). */
export function itemTokens(layout: SemanticIdLayout, item: number, out: Int32Array, at: number): void {
  const t = layout.tokensPerItem;
  for (let l = 0; l < t; l++) out[at + l] = item === 0 ? PAD_TOKEN : layout.offsets[l] + layout.codes[item * t + l];
}

export interface SourceTokens {
  /** [count, length] global token ids (PAD_TOKEN for padding). */
  readonly ids: Int32Array;
  /** [count, length] learned-position rows, numbered in the untrimmed window. */
  readonly positions: Int32Array;
  /** [count, length] 1 for real tokens, 0 for padding. */
  readonly mask: Float32Array;
  readonly length: number;
}

/** The encoder's input for histories [count, historyLength]: [user token] + the used columns' tokens. */
export function sourceTokens(
  layout: SemanticIdLayout,
  histories: Int32Array,
  count: number,
  historyLength: number,
  users: Int32Array | undefined,
): SourceTokens {
  const used = usedLength(histories, count, historyLength);
  const t = layout.tokensPerItem;
  const u = layout.buckets ? 1 : 0;
  const s = u + used * t;
  const ids = new Int32Array(count * s);
  const positions = new Int32Array(count * s);
  const userBuckets = layout.buckets ? hashIds(users ?? new Int32Array(count), layout.buckets) : null;
  for (let b = 0; b < count; b++) {
    if (userBuckets) ids[b * s] = layout.userOffset + userBuckets[b];
    for (let j = 0; j < used; j++) {
      const column = historyLength - used + j;
      itemTokens(layout, histories[b * historyLength + column], ids, b * s + u + j * t);
      for (let l = 0; l < t; l++) positions[b * s + u + j * t + l] = u + column * t + l;
    }
  }
  const mask = Float32Array.from(ids, (id) => (id === PAD_TOKEN ? 0 : 1));
  return { ids, positions, mask, length: s };
}

/**
 * Teacher forcing for target items [n]: the decoder reads [start, t_0 … t_{T−2}] ([n, T] global
 * ids) and predicts t_0 … t_{T−1}; targets[l] [n] holds level l's codes (indices into its own logits).
 */
export function teacherForcing(layout: SemanticIdLayout, items: Int32Array, n: number): { inputs: Int32Array; targets: Int32Array[] } {
  const t = layout.tokensPerItem;
  const inputs = new Int32Array(n * t);
  const targets = Array.from({ length: t }, () => new Int32Array(n));
  const target = new Int32Array(t);
  for (let b = 0; b < n; b++) {
    itemTokens(layout, items[b], target, 0);
    inputs[b * t] = START_TOKEN;
    for (let l = 0; l < t; l++) {
      if (l + 1 < t) inputs[b * t + l + 1] = target[l];
      targets[l][b] = target[l] - layout.offsets[l];
    }
  }
  return { inputs, targets };
}

/** Decoder position rows [n, len]: 0 … len − 1 in every row. */
export function decoderPositions(n: number, len: number): Int32Array {
  return Int32Array.from({ length: n * len }, (_, i) => i % len);
}

/** Peak bytes of one training step of an encoder–decoder over a batch's source and an ID's tokens. */
export function generativeStepBytes(batch: Batch, layout: SemanticIdLayout, encoder: TransformerConfig, decoder: TransformerConfig): number {
  const l = usedLength(batch.histories, batch.size, batch.length);
  const s = (layout.buckets ? 1 : 0) + l * layout.tokensPerItem;
  const t = layout.tokensPerItem;
  const per = (c: TransformerConfig, len: number, keys: number, cross: boolean) => {
    const inner = c.heads * (c.headDim ?? c.dModel / c.heads);
    const attention = batch.size * c.heads * len * keys * 4 * 4 * (cross ? 2 : 1);
    return c.layers * (batch.size * len * (12 * Math.max(c.dModel, inner) + 3 * c.dFF) * 4 + attention);
  };
  return 2 * (per(encoder, s, s, false) + per(decoder, t, Math.max(s, t), true));
}
