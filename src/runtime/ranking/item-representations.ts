// How a ranking model turns an item id into a vector (PAPERS.md §2). The compiler picks the
// variant from the model's `item` option and the generated class calls its constructor with the
// option's sizes, the item count, the embedding dimension, a ParamStore scope and, as the variant
// needs, a Semantic-ID table, content vectors and the training item counts; each gives an ItemRepresentation:
// embed(ids) → [n, dim], the table rows each item reads, and its row/parameter budget, so variants
// can be compared at equal table sizes. Four variants:
//   random_id(buckets)             one hashed row per item id (hashBucket of embedding.ts); an item
//                                  never trained on keeps its bucket's initial row (or shares the
//                                  row of a warm item it collides with);
//   semantic_id(ids, ngram(n, rows)) per position p = 0 … L−n one table of R = min(rows, K^n)
//                                  rows; the n-gram (c_p … c_{p+n−1}) reads row
//                                  v = Σ_j c_{p+j}·K^{n−1−j} of table p when K^n ≤ rows (exact),
//                                  else hashBucket(v mod (2^31−1), rows); the L−n+1 rows are summed;
//   semantic_id(ids, spm(vocab))   the rows of the item's pieces (spm.ts), summed;
//   dense(features)                the content vector through a learned projection (no table).
// Semantic IDs use the L semantic codes only: the collision suffix is an arbitrary number, not a
// meaning, and would give colliding items an item-ID row. The padding item 0 embeds to zeros.
import * as tf from "@tensorflow/tfjs-core";
import { gatherSegmentSum } from "../backend/native-gather-segment-sum-kernel.js";
import { gatherSegmentSumParts } from "../backend/native-segment-sum-parts-kernel.js";
import { hashBucket } from "../layers/embedding.js";
import { dense } from "../layers/dense.js";
import { normal } from "../layers/initializers.js";
import type { ParamStore } from "../layers/params.js";
import type { ItemFeatures, SemanticIdTable } from "./inputs.js";
import { learnSpm, type SpmVocabulary } from "./spm.js";

/** Embedding-table size of a representation. */
export interface RowBudget {
  /** Separate tables (ngram: L − n + 1; random_id, spm: 1; dense: 0). */
  tables: number;
  /** Rows of each table. */
  rowsPerTable: number;
  /** Table rows in all: tables × rowsPerTable. */
  rows: number;
  /** Trainable scalars of the representation (rows × dim, or the projection of dense). */
  parameters: number;
}

export interface ItemRepresentation {
  /** E.g. "semantic_id(ngram(n: 2, rows: 65536))". */
  readonly label: string;
  readonly dim: number;
  readonly numItems: number;
  readonly budget: RowBudget;
  /** Vectors [ids.length, dim] of item ids 0..numItems (0, the pad, gives zeros). */
  embed(ids: Int32Array): tf.Tensor2D;
  /** embed of each list, where one lookup serving them all is cheaper (embed-parts.ts). */
  embedParts?(lists: readonly Int32Array[]): tf.Tensor2D[];
  /** Rows of the table that item reads (their sum is its vector); empty for dense. */
  rowsOf(item: number): readonly number[];
  /** Frees constants the representation holds (not its parameters, which the store owns). */
  dispose(): void;
}

export interface ItemRepresentationInputs {
  readonly numItems: number;
  readonly dim: number;
  readonly params: ParamStore;
  /** Length numItems + 1: training frequency of each item; spm learns its pieces weighted by it
   * (so items never trained on — cold items — contribute no piece). Default: every item once. */
  readonly itemCounts?: ArrayLike<number>;
}

// ---------------------------------------------------------------------------------------------
// Table representations: each item reads up to S rows of one table [rows, dim] and sums them.

/** An item's vector is the sum of its rows of "table"; slots (numItems + 1) × S, −1 = unused. */
export class SlotTableRepresentation implements ItemRepresentation {
  readonly budget: RowBudget;
  private readonly table: tf.Variable;

  constructor(
    readonly label: string,
    readonly numItems: number,
    readonly dim: number,
    params: ParamStore,
    tables: number,
    rowsPerTable: number,
    /** (numItems + 1) × slotsPerItem, row-major; −1 marks an unused slot. */
    private readonly slots: Int32Array,
    private readonly slotsPerItem: number,
  ) {
    const rows = tables * rowsPerTable;
    // Summing S rows adds their variances: scale the init so every variant starts at one norm.
    this.table = params.get("table", [rows, dim], normal(0.05 / Math.sqrt(slotsPerItem)));
    this.budget = { tables, rowsPerTable, rows, parameters: rows * dim };
  }

  rowsOf(item: number): readonly number[] {
    const out: number[] = [];
    for (let s = 0; s < this.slotsPerItem; s++) {
      const r = this.slots[item * this.slotsPerItem + s];
      if (r >= 0) out.push(r);
    }
    return out;
  }

  embed(ids: Int32Array): tf.Tensor2D {
    const { rows, owners } = this.slotPairs([ids]);
    if (this.slotsPerItem === 1 && rows.length === ids.length) return tf.tidy(() => tf.gather(this.table, tf.tensor1d(rows, "int32")) as tf.Tensor2D);
    return slotSums(this.table, rows, owners, ids.length, new Int32Array([rows.length]));
  }

  /** The vectors of each id list, from one lookup whose table gradient is one array (the lists'
   * gradients summed in order, the numbers the tape gives separate lookups). */
  embedParts(lists: readonly Int32Array[]): tf.Tensor2D[] {
    const { rows, owners, ends } = this.slotPairs(lists);
    const sizes = lists.map((ids) => ids.length);
    const all = slotSums(
      this.table,
      rows,
      owners,
      sizes.reduce((a, b) => a + b, 0),
      ends,
    );
    return tf.tidy(() => (lists.length === 1 ? [all] : (tf.split(all, sizes, 0) as tf.Tensor2D[])));
  }

  /** The (row, output) pair of every used slot of the lists' ids, in slot order, outputs numbered
   * across the lists; ends[l]: where list l's pairs end. The pad and unused slots have none. */
  private slotPairs(lists: readonly Int32Array[]): { rows: Int32Array; owners: Int32Array; ends: Int32Array } {
    // Locals and plain loops: this runs over every id of every training step.
    const S = this.slotsPerItem;
    const slots = this.slots;
    const numItems = this.numItems;
    let total = 0;
    for (const ids of lists) total += ids.length;
    const rows = new Int32Array(total * S);
    const owners = new Int32Array(total * S);
    const ends = new Int32Array(lists.length);
    let used = 0;
    let base = 0;
    for (let l = 0; l < lists.length; l++) {
      const ids = lists[l];
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i];
        if (id < 0 || id > numItems) throw new Error(`${this.label}: item id ${id} outside 0..${numItems}`);
        if (id === 0) continue;
        for (let s = id * S, end = s + S; s < end; s++) {
          const r = slots[s];
          if (r >= 0) {
            rows[used] = r;
            owners[used] = base + i;
            used++;
          }
        }
      }
      ends[l] = used;
      base += ids.length;
    }
    return { rows: rows.subarray(0, used), owners: owners.subarray(0, used), ends };
  }

  dispose(): void {}
}

/**
 * out[i] = Σ table[rows[u]] over the slots u with owners[u] = i (zeros for an output with none), and
 * the table's gradient dTable[rows[u]] += dy[owners[u]]: one gather and one scatter-add each way.
 * Why not gather, mask and sum: that spends three more passes over the [n·S, dim] rows forward and
 * two more backward (a tile and a mask product): 6% of the SID-ranking step's main-thread CPU. The sums are the
 * same numbers: each output adds its slots' rows in slot order, as the masked sum did. With several
 * parts (pairs up to ends[0], then to ends[1], …) the gradient sums each part alone and adds the sums.
 */
function slotSums(table: tf.Variable, rows: Int32Array, owners: Int32Array, n: number, ends: Int32Array): tf.Tensor2D {
  const tableRows = table.shape[0];
  const sums = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const t = args[0] as tf.Tensor2D;
    const value = gatherSegmentSum(t, rows, owners, n); // one native pass where the backend has it
    return {
      value,
      // The index tensors are rebuilt from the host arrays: tensors made here would be freed
      // with the forward pass's tidy before the backward pass runs.
      gradFunc: (dy: tf.Tensor) => [
        ends.length === 1 ? gatherSegmentSum(dy, owners, rows, tableRows) : gatherSegmentSumParts(dy as tf.Tensor2D, owners, rows, ends, tableRows),
      ],
    };
  });
  return tf.tidy(() => sums(table) as tf.Tensor2D);
}

export function randomIdRepresentation(buckets: number, inputs: ItemRepresentationInputs): SlotTableRepresentation {
  if (!Number.isInteger(buckets) || buckets < 1) throw new Error(`random_id: buckets must be a positive integer, got ${buckets}`);
  const slots = new Int32Array(inputs.numItems + 1);
  slots[0] = -1;
  for (let i = 1; i <= inputs.numItems; i++) slots[i] = hashBucket(i, buckets);
  return new SlotTableRepresentation(`random_id(buckets: ${buckets})`, inputs.numItems, inputs.dim, inputs.params, 1, buckets, slots, 1);
}

/** Rows of one n-gram table: K^n when that fits the budget (exact, no collisions), else the budget. */
export function ngramRowsPerTable(codebook: number, n: number, rows: number): number {
  const exact = codebook ** n;
  return exact <= rows ? exact : rows;
}

/** The row, within its table, of the n-gram `codes` (as the header says). */
export function ngramBucket(codes: readonly number[], codebook: number, rows: number): number {
  const perTable = ngramRowsPerTable(codebook, codes.length, rows);
  if (codebook ** codes.length <= rows) {
    let v = 0;
    for (const c of codes) v = v * codebook + c;
    return v;
  }
  // v mod P with exact integer arithmetic (v itself may pass 2^53 for long n-grams).
  const P = 2147483647n;
  let v = 0n;
  for (const c of codes) v = (v * BigInt(codebook) + BigInt(c)) % P;
  return hashBucket(Number(v), perTable);
}

/** Global rows (table p's rows start at p·R) of every n-gram of one item's first L codes. */
export function ngramItemRows(codes: ArrayLike<number>, offset: number, levels: number, codebook: number, n: number, rows: number): number[] {
  const perTable = ngramRowsPerTable(codebook, n, rows);
  const out: number[] = [];
  for (let p = 0; p + n <= levels; p++) {
    const gram: number[] = [];
    for (let j = 0; j < n; j++) gram.push(codes[offset + p + j]);
    out.push(p * perTable + ngramBucket(gram, codebook, rows));
  }
  return out;
}

export function ngramRepresentation(table: SemanticIdTable, n: number, rows: number, inputs: ItemRepresentationInputs): SlotTableRepresentation {
  checkTable(table, inputs.numItems);
  const L = table.levels;
  if (!Number.isInteger(n) || n < 1 || n > L) throw new Error(`ngram: n = ${n} must be in 1..${L} (the Semantic IDs have ${L} levels)`);
  if (!Number.isInteger(rows) || rows < 1) throw new Error(`ngram: rows must be a positive integer, got ${rows}`);
  const tables = L - n + 1;
  const perTable = ngramRowsPerTable(table.codebook, n, rows);
  const slots = new Int32Array((inputs.numItems + 1) * tables).fill(-1);
  for (let i = 1; i <= inputs.numItems; i++) {
    ngramItemRows(table.codes, i * table.tokensPerItem, L, table.codebook, n, rows).forEach((r, p) => (slots[i * tables + p] = r));
  }
  return new SlotTableRepresentation(`semantic_id(ngram(n: ${n}, rows: ${rows}))`, inputs.numItems, inputs.dim, inputs.params, tables, perTable, slots, tables);
}

/** The spm representation, with the learned vocabulary exposed for reports and tests. */
export class SpmRepresentation extends SlotTableRepresentation {
  constructor(
    readonly vocabulary: SpmVocabulary,
    ...rest: ConstructorParameters<typeof SlotTableRepresentation>
  ) {
    super(...rest);
  }
}

export function spmRepresentation(table: SemanticIdTable, vocab: number, inputs: ItemRepresentationInputs): SpmRepresentation {
  checkTable(table, inputs.numItems);
  const L = table.levels;
  const weights = new Float64Array(inputs.numItems + 1);
  for (let i = 1; i <= inputs.numItems; i++) weights[i] = inputs.itemCounts === undefined ? 1 : inputs.itemCounts[i];
  const vocabulary = learnSpm(table.codes, {
    levels: L,
    codebook: table.codebook,
    vocab,
    stride: table.tokensPerItem,
    weights,
    firstRow: 1,
    // With uniform weights every tuple counts once: a piece must be shared by two items.
    minCount: 2,
  });
  const slots = new Int32Array((inputs.numItems + 1) * L).fill(-1);
  for (let i = 1; i <= inputs.numItems; i++) {
    vocabulary.segment(table.codes, i * table.tokensPerItem).forEach((r, s) => (slots[i * L + s] = r));
  }
  return new SpmRepresentation(vocabulary, `semantic_id(spm(vocab: ${vocab}))`, inputs.numItems, inputs.dim, inputs.params, 1, vocab, slots, L);
}

// ---------------------------------------------------------------------------------------------

/** dense(features): x_i W + b, with W [featureDim, dim]; the features are a constant. */
export class DenseRepresentation implements ItemRepresentation {
  readonly label = "dense";
  readonly numItems: number;
  readonly dim: number;
  readonly budget: RowBudget;
  private readonly features: tf.Tensor2D;
  private readonly params: ParamStore;

  constructor(features: ItemFeatures, inputs: ItemRepresentationInputs) {
    if (features.vectors.length !== (inputs.numItems + 1) * features.dim) {
      throw new Error(`dense: features have ${features.vectors.length / features.dim} rows, need numItems + 1 = ${inputs.numItems + 1}`);
    }
    this.numItems = inputs.numItems;
    this.dim = inputs.dim;
    this.params = inputs.params.scope("projection");
    this.features = tf.keep(tf.tensor2d(features.vectors, [inputs.numItems + 1, features.dim]));
    tf.tidy(() => this.embed(new Int32Array([1])));
    this.budget = { tables: 0, rowsPerTable: 0, rows: 0, parameters: this.params.count() };
  }

  rowsOf(): readonly number[] {
    return [];
  }

  embed(ids: Int32Array): tf.Tensor2D {
    return tf.tidy(() => {
      const x = tf.gather(this.features, tf.tensor1d(ids, "int32"));
      const y = dense(x, this.params, this.features.shape[1], this.dim);
      const keep = Float32Array.from(ids, (id) => (id === 0 ? 0 : 1));
      return tf.mul(y, tf.tensor2d(keep, [ids.length, 1])) as tf.Tensor2D;
    });
  }

  dispose(): void {
    this.features.dispose();
  }
}

function checkTable(t: SemanticIdTable, numItems: number): void {
  if (t.tokensPerItem < t.levels) throw new Error(`Semantic-ID table: tokensPerItem ${t.tokensPerItem} < levels ${t.levels}`);
  if (t.codes.length !== (numItems + 1) * t.tokensPerItem) {
    throw new Error(`Semantic-ID table has ${t.codes.length / t.tokensPerItem} rows, the data set needs numItems + 1 = ${numItems + 1}`);
  }
}
