// TIGER generative retrieval (Rajput et al. 2023) as a RecModel. Takes the IR attributes of a
// `generative` model, the prepared data, the Semantic-ID table of its quantizer and a seed; gives
// an encoder–decoder transformer that reads a user token and the history's Semantic-ID tokens and
// decodes the next item's tokens, trained with teacher forcing, ranking items by beam search.
//
// Vocabulary (one token table, d_model wide, tied with the output layer):
//   0 pad · 1 decoder start · 2 reserved · level l's codes at offset[l] + code (base levels K
//   codes each, the collision suffix maxSuffix + 1) · user buckets after the last level.
// Source: [user token] + the last L history items' tokens, flattened (left padding → pad tokens,
// masked; all-padding leading columns are trimmed per batch). Positions are learned, numbered in
// the untrimmed window (the newest item always has the same positions). Decoder input:
// [start, t_0 … t_{n−2}]; output position l scores level l's own codes only (h_l · E_lᵀ), so the
// loss at initialisation is the mean of ln(size_l).
// Ranking: beam search of `decode.width` beams, constrained by a trie of the items seen in
// training (or unconstrained, counting invalid IDs). Items never seen in training (cold) are
// retrieved by matching the first `levels` tokens of the decoded beams, just below the matching
// beam's score, and hold at most ⌊ε · width⌋ of the list (ε = cold_start_share). Every item not
// retrieved scores −Infinity. The search runs cached (layers/incremental-decoder.ts: one encoder
// pass per chunk, cross-attention keys/values once per layer, one new position per step, the beams
// of a history sharing its memory); retrieveReference re-decodes every prefix, to check it against.
import * as tf from "@tensorflow/tfjs-core";
import { slidingTargets, type Batch } from "../data/batching.js";
import type { Example } from "../data/split.js";
import { beamSearch, beamsToItems, type Beam } from "../decode/beam-search.js";
import { slotBeamSearch } from "../decode/slot-beam-search.js";
import { trieOfItems, type PrefixTrie } from "../decode/prefix-trie.js";
import { dropout, INFERENCE, type ForwardContext } from "../layers/dropout.js";
import { hashIds } from "../layers/embedding.js";
import { IncrementalDecoder } from "../layers/incremental-decoder.js";
import { normal } from "../layers/initializers.js";
import { ParamStore } from "../layers/params.js";
import {
  transformerDecoder,
  transformerEncoder,
  type TransformerConfig,
} from "../layers/transformer.js";
import { softmaxCrossEntropy } from "../losses/softmax-cross-entropy.js";
import type { PreparedData } from "../pipeline/prepare-data.js";
import type { SemanticIdTable } from "../quantizers/semantic-id-table.js";
import { Rng } from "../random.js";
import {
  unwrapBlock,
  type BlockRef,
  type EncoderConfig,
  type ModelBlock,
} from "./config.js";
import type { LossContext, RecModel } from "./rec-model.js";
import { usedLength } from "./sequence-input.js";

export interface GenerativeConfig {
  data?: BlockRef;
  ids?: BlockRef;
  encoder: EncoderConfig;
  decoder: EncoderConfig;
  user: { type: "hashed"; buckets: number } | { type: "no_user" };
  decode: { type: "beam"; width: number; constrain: "trie" | "none" };
  cold_start_share: number;
}

export type GenerativeData = Pick<
  PreparedData,
  "numItems" | "history" | "split" | "trainCounts" | "coldMask"
>;

/** Special tokens before the first code: pad, decoder start, reserved. */
export const SPECIAL_TOKENS = 3;
export const PAD_TOKEN = 0;
export const START_TOKEN = 1;

export interface DecodeStats {
  /** Beams that named no item (unconstrained decoding only). */
  invalid: number;
  total: number;
}

export class GenerativeModel implements RecModel {
  readonly params: ParamStore;
  readonly numItems: number;
  readonly historyLength: number;
  readonly trainingExamples: readonly Example[];
  /** Vocabulary size of each ID position. */
  readonly sizes: number[];
  /** First token of each ID position. */
  readonly offsets: number[];
  readonly vocabulary: number;
  readonly tokensPerItem: number;
  readonly dModel: number;
  /** Counts of the last scoreItems calls (reset with resetDecodeStats). */
  readonly decodeStats: DecodeStats = { invalid: 0, total: 0 };
  /** Histories decoded per forward pass inside scoreItems. */
  decodeChunk = 64;
  private readonly userOffset: number;
  private readonly buckets: number;
  private readonly encoderConfig: TransformerConfig;
  private readonly decoderConfig: TransformerConfig;
  private readonly warm: Uint8Array;
  private readonly warmTrie: PrefixTrie;
  private readonly fullTrie: PrefixTrie;
  /** Cold items by their first `levels` tokens. */
  private readonly coldByPrefix = new Map<string, number[]>();

  constructor(
    readonly config: GenerativeConfig,
    data: GenerativeData,
    readonly table: SemanticIdTable,
    seed: number,
    readonly name = "generative",
  ) {
    const rows = table.codes.length / table.tokensPerItem;
    if (rows !== data.numItems + 1)
      throw new Error(
        `model ${name}: the Semantic-ID table has ${rows - 1} items, the data ${data.numItems}`,
      );
    this.params = new ParamStore(seed);
    this.numItems = data.numItems;
    this.historyLength = data.history;
    this.trainingExamples = slidingTargets(data.split.train);
    this.tokensPerItem = table.tokensPerItem;
    this.sizes = Array.from({ length: table.tokensPerItem }, (_, l) =>
      l < table.levels ? table.codebook : table.collisions.maxSuffix + 1,
    );
    this.offsets = [];
    let next = SPECIAL_TOKENS;
    for (const s of this.sizes) {
      this.offsets.push(next);
      next += s;
    }
    this.userOffset = next;
    this.buckets = config.user.type === "hashed" ? config.user.buckets : 0;
    this.vocabulary = next + this.buckets;
    this.encoderConfig = transformerConfig(config.encoder, false);
    this.decoderConfig = transformerConfig(config.decoder, true);
    this.dModel = this.encoderConfig.dModel;
    if (this.decoderConfig.dModel !== this.dModel)
      throw new Error(
        `model ${name}: encoder d_model ${this.dModel} ≠ decoder d_model ${this.decoderConfig.dModel}`,
      );
    const sourceMax =
      (this.buckets ? 1 : 0) + data.history * this.tokensPerItem;
    if (sourceMax > config.encoder.max_positions)
      throw new Error(
        `model ${name}: the input has up to ${sourceMax} tokens, more than max_positions ${config.encoder.max_positions}`,
      );
    // Warm items: seen in training. Only they are decoded; cold ones come in by prefix.
    this.warm = new Uint8Array(data.numItems + 1);
    for (let i = 1; i <= data.numItems; i++)
      this.warm[i] = data.trainCounts[i] > 0 && data.coldMask[i] === 0 ? 1 : 0;
    const t = this.tokensPerItem;
    this.warmTrie = trieOfItems(table.codes, t, (i) => this.warm[i] === 1);
    this.fullTrie = trieOfItems(table.codes, t);
    for (let i = 1; i <= data.numItems; i++) {
      if (this.warm[i]) continue;
      const key = Array.from(
        table.codes.subarray(i * t, i * t + table.levels),
      ).join(",");
      const list = this.coldByPrefix.get(key);
      if (list) list.push(i);
      else this.coldByPrefix.set(key, [i]);
    }
    tf.tidy(() => {
      const batch: Batch = {
        size: 1,
        length: this.historyLength,
        users: Int32Array.of(0),
        histories: new Int32Array(this.historyLength).fill(1),
        targets: Int32Array.of(1),
      };
      this.loss(batch, { training: false });
    });
  }

  /** Global token ids [n × tokensPerItem] of an item's ID, or pads for the padding item. */
  itemTokens(item: number, out: Int32Array, at: number): void {
    const t = this.tokensPerItem;
    for (let l = 0; l < t; l++)
      out[at + l] =
        item === 0
          ? PAD_TOKEN
          : this.offsets[l] + this.table.codes[item * t + l];
  }

  /** Source token ids and positions [count, S] for histories [count, T]. */
  source(
    histories: Int32Array,
    count: number,
    users: Int32Array | undefined,
  ): { ids: Int32Array; positions: Int32Array; length: number } {
    const tl = this.historyLength;
    const used = usedLength(histories, count, tl);
    const t = this.tokensPerItem;
    const u = this.buckets ? 1 : 0;
    const s = u + used * t;
    const ids = new Int32Array(count * s);
    const positions = new Int32Array(count * s);
    const userBuckets = this.buckets
      ? hashIds(users ?? new Int32Array(count), this.buckets)
      : null;
    for (let b = 0; b < count; b++) {
      if (userBuckets) ids[b * s] = this.userOffset + userBuckets[b];
      for (let j = 0; j < used; j++) {
        const column = tl - used + j;
        this.itemTokens(histories[b * tl + column], ids, b * s + u + j * t);
        for (let l = 0; l < t; l++)
          positions[b * s + u + j * t + l] = u + column * t + l;
      }
    }
    return { ids, positions, length: s };
  }

  /** Encoder output [count, S, d] and the source mask [count, S]. */
  encode(
    histories: Int32Array,
    count: number,
    users: Int32Array | undefined,
    ctx: ForwardContext = INFERENCE,
  ): { memory: tf.Tensor3D; mask: tf.Tensor2D } {
    const { ids, positions, length } = this.source(histories, count, users);
    return tf.tidy(() => {
      const idsT = tf.tensor2d(ids, [count, length], "int32");
      const mask = tf.tensor2d(
        Float32Array.from(ids, (id) => (id === PAD_TOKEN ? 0 : 1)),
        [count, length],
      );
      const x = tf.add(
        tf.gather(this.tokenTable(), idsT),
        tf.gather(
          this.positionTable(
            "encoder_positions",
            this.config.encoder.max_positions,
          ),
          tf.tensor2d(positions, [count, length], "int32"),
        ),
      );
      const memory = transformerEncoder(
        dropout(x, this.encoderConfig.dropout, ctx),
        this.params.scope("encoder"),
        this.encoderConfig,
        { paddingMask: mask },
        ctx,
      );
      return { memory, mask };
    });
  }

  /** Decoder hidden states [n, len, d] for decoder inputs [n, len] (global ids, start first). */
  decode(
    inputs: Int32Array,
    n: number,
    len: number,
    memory: tf.Tensor3D,
    mask: tf.Tensor2D,
    ctx: ForwardContext = INFERENCE,
  ): tf.Tensor3D {
    return tf.tidy(() => {
      const positions = tf.tensor2d(
        Int32Array.from({ length: n * len }, (_, i) => i % len),
        [n, len],
        "int32",
      );
      const x = tf.add(
        tf.gather(this.tokenTable(), tf.tensor2d(inputs, [n, len], "int32")),
        tf.gather(
          this.positionTable("decoder_positions", this.tokensPerItem),
          positions,
        ),
      );
      return transformerDecoder(
        dropout(x, this.decoderConfig.dropout, ctx),
        memory,
        this.params.scope("decoder"),
        this.decoderConfig,
        { memoryPaddingMask: mask },
        ctx,
      );
    });
  }

  /** Logits [n, sizes[l]] of position l's codes from hidden states h [n, d]. */
  levelLogits(h: tf.Tensor2D, l: number): tf.Tensor2D {
    return tf.tidy(() => {
      const rows = tf.slice(
        this.tokenTable(),
        [this.offsets[l], 0],
        [this.sizes[l], this.dModel],
      ) as tf.Tensor2D;
      return tf.matMul(h, rows, false, true);
    });
  }

  loss(batch: Batch, ctx: LossContext): tf.Scalar {
    const training = ctx.training;
    const fctx: ForwardContext = training
      ? { training, rng: ctx.rng ?? new Rng(0) }
      : INFERENCE;
    const n = batch.size;
    const t = this.tokensPerItem;
    // Teacher forcing: the decoder reads [start, t_0 … t_{n−2}] and predicts t_0 … t_{n−1}.
    const inputs = new Int32Array(n * t);
    const targets = Array.from({ length: t }, () => new Int32Array(n));
    const target = new Int32Array(t);
    for (let b = 0; b < n; b++) {
      this.itemTokens(batch.targets[b], target, 0);
      inputs[b * t] = START_TOKEN;
      for (let l = 0; l < t; l++) {
        if (l + 1 < t) inputs[b * t + l + 1] = target[l];
        targets[l][b] = target[l] - this.offsets[l];
      }
    }
    return tf.tidy(() => {
      const { memory, mask } = this.encode(
        batch.histories,
        n,
        batch.users,
        fctx,
      );
      const hidden = this.decode(inputs, n, t, memory, mask, fctx);
      let total: tf.Scalar = tf.scalar(0);
      for (let l = 0; l < t; l++) {
        const h = tf.reshape(tf.slice(hidden, [0, l, 0], [n, 1, this.dModel]), [
          n,
          this.dModel,
        ]) as tf.Tensor2D;
        const ce = softmaxCrossEntropy(
          this.levelLogits(h, l),
          tf.tensor1d(targets[l], "int32"),
          { labelSmoothing: 0, ignoreIndex: null },
        );
        total = tf.add(total, ce);
      }
      return tf.div(total, t) as tf.Scalar;
    });
  }

  lossWeight(batch: Batch): number {
    return batch.size;
  }

  stepBytes(batch: Batch): number {
    const l = usedLength(batch.histories, batch.size, batch.length);
    const s = (this.buckets ? 1 : 0) + l * this.tokensPerItem;
    const t = this.tokensPerItem;
    const per = (
      c: TransformerConfig,
      len: number,
      keys: number,
      cross: boolean,
    ) => {
      const inner = c.heads * (c.headDim ?? c.dModel / c.heads);
      const attention =
        batch.size * c.heads * len * keys * 4 * 4 * (cross ? 2 : 1);
      return (
        c.layers *
        (batch.size * len * (12 * Math.max(c.dModel, inner) + 3 * c.dFF) * 4 +
          attention)
      );
    };
    return (
      2 *
      (per(this.encoderConfig, s, s, false) +
        per(this.decoderConfig, t, Math.max(s, t), true))
    );
  }

  scoreItems(
    histories: Int32Array,
    count: number,
    users?: Int32Array,
  ): tf.Tensor2D {
    const scores = new Float32Array(count * (this.numItems + 1)).fill(
      -Infinity,
    );
    const tl = this.historyLength;
    // Chunks of histories of similar length: the source is cut to the longest of its chunk, so
    // mixing long and short histories would encode (and cross-attend over) mostly padding.
    const order = Int32Array.from({ length: count }, (_, i) => i).sort(
      (a, b) =>
        usedLength(histories.subarray(a * tl), 1, tl) -
          usedLength(histories.subarray(b * tl), 1, tl) || a - b,
    );
    for (let first = 0; first < count; first += this.decodeChunk) {
      const c = Math.min(this.decodeChunk, count - first);
      const rows = order.subarray(first, first + c);
      const chunk = new Int32Array(c * tl);
      rows.forEach((r, i) =>
        chunk.set(histories.subarray(r * tl, (r + 1) * tl), i * tl),
      );
      const lists = this.retrieve(
        chunk,
        c,
        users === undefined ? undefined : Int32Array.from(rows, (r) => users[r]),
      );
      lists.forEach((list, i) => {
        for (const { item, score } of list)
          scores[rows[i] * (this.numItems + 1) + item] = score;
      });
    }
    return tf.tensor2d(scores, [count, this.numItems + 1]);
  }

  /** Per history: up to `width` items with scores, best first (cold items capped by ε). */
  retrieve(
    histories: Int32Array,
    count: number,
    users?: Int32Array,
  ): { item: number; score: number }[][] {
    return this.itemsOfBeams(this.cachedBeams(histories, count, users));
  }

  /**
   * retrieve by the straightforward search: every step re-decodes each beam's whole prefix
   * against its own copy of the encoder memory. Slow; kept to check the cached path against.
   */
  retrieveReference(
    histories: Int32Array,
    count: number,
    users?: Int32Array,
  ): { item: number; score: number }[][] {
    return this.itemsOfBeams(this.referenceBeams(histories, count, users));
  }

  private searchOptions() {
    const { width, constrain } = this.config.decode;
    return {
      width,
      sizes: this.sizes,
      trie: constrain === "trie" ? this.warmTrie : null,
    };
  }

  /**
   * Beams of the cached path: one encoder pass per chunk, cross-attention keys/values once per
   * layer, the beams of a history querying its memory together, one new position per step.
   */
  private cachedBeams(
    histories: Int32Array,
    count: number,
    users: Int32Array | undefined,
  ): Beam[][] {
    const { width } = this.config.decode;
    const { memory, mask } = this.encode(histories, count, users);
    const decoder = new IncrementalDecoder(
      this.params.scope("decoder"),
      this.decoderConfig,
      memory,
      mask,
    );
    const positions = this.positionTable("decoder_positions", this.tokensPerItem);
    try {
      return slotBeamSearch(
        count,
        (t, tokens, parents) => {
          // Step 0 has one live beam per history: decode `count` rows, not count × width.
          const n = t === 0 ? count : tokens.length;
          const hidden = tf.tidy(() => {
            // Decoder input at position t: the start token, then the token decoded at t − 1.
            const ids =
              t === 0
                ? new Int32Array(n).fill(START_TOKEN)
                : Int32Array.from(tokens, (code) => this.offsets[t - 1] + code);
            const x = tf.add(
              tf.gather(this.tokenTable(), tf.tensor1d(ids, "int32")),
              tf.slice(positions, [t, 0], [1, this.dModel]),
            ) as tf.Tensor2D;
            // At step 1 every parent is its history's first slot s·width, row s of step 0.
            const rows =
              t === 1 ? parents.map((p) => Math.floor(p / width)) : parents;
            return decoder.step(x, rows);
          });
          // dataSync outside tidy: tidy would walk every element of a returned typed array.
          const logp = tf.tidy(() => tf.logSoftmax(this.levelLogits(hidden, t)));
          hidden.dispose();
          try {
            const values = logp.dataSync() as Float32Array;
            if (t > 0) return values;
            // Spread row s to slot s·width; the idle slots' scores are never read.
            const size = this.sizes[0];
            const spread = new Float32Array(tokens.length * size);
            for (let s = 0; s < count; s++)
              spread.set(values.subarray(s * size, (s + 1) * size), s * width * size);
            return spread;
          } finally {
            logp.dispose();
          }
        },
        this.searchOptions(),
      );
    } finally {
      decoder.dispose();
      memory.dispose();
      mask.dispose();
    }
  }

  private referenceBeams(
    histories: Int32Array,
    count: number,
    users: Int32Array | undefined,
  ): Beam[][] {
    const { memory, mask } = this.encode(histories, count, users);
    try {
      return beamSearch(
        count,
        (prefixes, t, owners) =>
          tf.tidy(() => {
            const n = owners.length;
            const inputs = new Int32Array(n * (t + 1));
            for (let i = 0; i < n; i++) {
              inputs[i * (t + 1)] = START_TOKEN;
              for (let l = 0; l < t; l++)
                inputs[i * (t + 1) + 1 + l] =
                  this.offsets[l] + prefixes[i * t + l];
            }
            const ownersT = tf.tensor1d(owners, "int32");
            const hidden = this.decode(
              inputs,
              n,
              t + 1,
              tf.gather(memory, ownersT) as tf.Tensor3D,
              tf.gather(mask, ownersT) as tf.Tensor2D,
            );
            const last = tf.reshape(
              tf.slice(hidden, [0, t, 0], [n, 1, this.dModel]),
              [n, this.dModel],
            ) as tf.Tensor2D;
            return tf
              .logSoftmax(this.levelLogits(last, t))
              .dataSync() as Float32Array;
          }),
        this.searchOptions(),
      );
    } finally {
      memory.dispose();
      mask.dispose();
    }
  }

  /** Items of the beams (cold ones added by prefix, capped by ε), counting invalid beams. */
  private itemsOfBeams(beams: Beam[][]): { item: number; score: number }[][] {
    const { width, constrain } = this.config.decode;
    const decoded = beamsToItems(
      beams,
      constrain === "trie" ? this.warmTrie : this.fullTrie,
    );
    this.decodeStats.invalid += decoded.invalid;
    this.decodeStats.total += decoded.total;
    const coldCap = Math.floor(this.config.cold_start_share * width);
    const levels = this.table.levels;
    return decoded.items.map((warmList, s) => {
      if (coldCap === 0 || this.coldByPrefix.size === 0)
        return warmList.slice(0, width);
      const cold: { item: number; score: number }[] = [];
      const seen = new Set<number>();
      for (const beam of beams[s]) {
        const matches = this.coldByPrefix.get(
          Array.from(beam.tokens.subarray(0, levels)).join(","),
        );
        if (!matches) continue;
        for (const item of matches) {
          if (seen.has(item)) continue;
          seen.add(item);
          // Just below the beam that matched: the warm item with that prefix stays ahead.
          cold.push({ item, score: beam.score - 1e-4 * (1 + cold.length) });
        }
      }
      const merged = [...warmList, ...cold.slice(0, coldCap)].sort(
        (a, b) => b.score - a.score,
      );
      return merged.slice(0, width);
    });
  }

  /** Share of decoded beams that named no item since the last reset (unconstrained decoding). */
  invalidRate(): number {
    return this.decodeStats.total === 0
      ? 0
      : this.decodeStats.invalid / this.decodeStats.total;
  }

  resetDecodeStats(): void {
    this.decodeStats.invalid = 0;
    this.decodeStats.total = 0;
  }

  dispose(): void {
    this.params.dispose();
  }

  private tokenTable(): tf.Tensor2D {
    return this.params.get(
      "tokens",
      [this.vocabulary, this.dModel],
      normal(0.05),
    ) as tf.Tensor2D;
  }

  private positionTable(name: string, rows: number): tf.Tensor2D {
    return this.params.get(
      name,
      [rows, this.dModel],
      normal(0.05),
    ) as tf.Tensor2D;
  }
}

function transformerConfig(
  e: EncoderConfig,
  decoder: boolean,
): TransformerConfig {
  if (e.d_model === null)
    throw new Error("generative: the transformer needs d_model");
  return {
    layers: e.layers,
    heads: e.heads,
    ...(e.head_dim !== null ? { headDim: e.head_dim } : {}),
    dModel: e.d_model,
    dFF: e.d_ff ?? 4 * e.d_model,
    dropout: e.dropout,
    causal: decoder ? true : false,
    activation: e.activation,
    norm: e.norm,
  };
}

/** Builds the TIGER model from its IR attributes (or whole block) and its quantizer's table. */
export function generativeModel(
  config: GenerativeConfig | ModelBlock<GenerativeConfig>,
  data: GenerativeData,
  table: SemanticIdTable,
  seed?: number,
  name?: string,
): GenerativeModel {
  const block = unwrapBlock(config, seed, name, "generative");
  return new GenerativeModel(
    block.attributes,
    data,
    table,
    block.seed,
    block.name,
  );
}
