// Top-K selection for evaluation. Takes score rows over the item catalogue (item 0 is padding) and
// optional per-user exclusions (e.g. the training history); gives each user's K best item ids, best
// first. Ties are broken by the lower item id, so rankings are deterministic. Two paths: a plain
// TypeScript partial selection over Float32Array rows, and a tfjs path that scores chunks of users
// as U·Vᵀ and selects on the device, for full-catalogue ranking.
import * as tf from "@tensorflow/tfjs-core";

/** Per-user item ids to leave out of the ranking (indexed like the score rows; may be sparse). */
export type Exclusions = ReadonlyArray<ArrayLike<number> | null | undefined>;

export interface TopKOptions {
  /** Items never to rank for each user, indexed by user (row `r` of a chunk is user `firstUser + r`). */
  exclude?: Exclusions;
  /** Leave out item 0, the padding id (default true). */
  excludePad?: boolean;
  /** Index of the user in row 0, for looking up `exclude` when ranking a chunk (default 0). */
  firstUser?: number;
}

/**
 * Top-K item ids of one score row, best first. `mask[i] !== 0` leaves item i out. A size-K min-heap
 * keeps the current best K, so the cost is O(items · log K) rather than a full sort of the row.
 * Fewer than K ids come back when fewer than K items are eligible. NaN scores rank below everything.
 */
export function topKOfRow(scores: ArrayLike<number>, k: number, mask: Uint8Array | null = null, offset = 0, length = scores.length - offset): Int32Array {
  const cap = Math.max(0, Math.min(k, length));
  const heapIds = new Int32Array(cap);
  const heapScores = new Float64Array(cap);
  let size = 0;
  for (let item = 0; item < length; item++) {
    if (mask !== null && mask[item] !== 0) continue;
    let s = scores[offset + item];
    if (s !== s) s = -Infinity; // NaN would break every comparison; treat it as the worst score.
    if (size < cap) {
      // Sift up: the root holds the worst of the kept items.
      let i = size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!worse(s, item, heapScores[parent], heapIds[parent])) break;
        heapScores[i] = heapScores[parent];
        heapIds[i] = heapIds[parent];
        i = parent;
      }
      heapScores[i] = s;
      heapIds[i] = item;
    } else if (cap > 0 && worse(heapScores[0], heapIds[0], s, item)) {
      siftDownFromRoot(heapScores, heapIds, size, s, item);
    }
  }
  // Pop the heap from worst to best into the tail of the result.
  const out = new Int32Array(size);
  for (let n = size; n > 0; n--) {
    out[n - 1] = heapIds[0];
    const lastScore = heapScores[n - 1];
    const lastId = heapIds[n - 1];
    if (n > 1) siftDownFromRoot(heapScores, heapIds, n - 1, lastScore, lastId);
  }
  return out;
}

/**
 * Top-K for every row of a row-major [users × numItems] score matrix (one Float32Array), best first.
 * Exclusions and the pad item are applied through one reusable mask, set and cleared per row.
 */
export function topKOfMatrix(scores: Float32Array, numItems: number, k: number, options: TopKOptions = {}): Int32Array[] {
  if (numItems <= 0 || scores.length % numItems !== 0) {
    throw new Error(`topKOfMatrix: ${scores.length} scores is not a multiple of ${numItems} items`);
  }
  const users = scores.length / numItems;
  const mask = new Uint8Array(numItems);
  const out: Int32Array[] = [];
  for (let r = 0; r < users; r++) {
    const excluded = markExclusions(mask, r, options);
    out.push(topKOfRow(scores, k, mask, r * numItems, numItems));
    clearMarks(mask, excluded);
  }
  return out;
}

/**
 * Top-K for every row of a [users × numItems] score tensor, selecting on the device with tf.topk.
 * tf.topk cannot skip items, so it fetches K plus the largest exclusion count in the chunk (plus
 * one for the pad) and the excluded ids are dropped here; the survivors are then re-sorted by
 * (score desc, id asc) so tie-breaking matches the TypeScript path. Does not dispose `scores`.
 */
export async function topKOfTensor(scores: tf.Tensor2D, k: number, options: TopKOptions = {}): Promise<Int32Array[]> {
  const [users, numItems] = scores.shape;
  // tfjs-webgpu's topk sorts whole rows (28 s for 256 × 12k on lavapipe): select on the host.
  if (tf.getBackend() === "webgpu") return topKOfMatrix((await scores.data()) as Float32Array, numItems, k, options);
  const excludePad = options.excludePad ?? true;
  const firstUser = options.firstUser ?? 0;
  let extra = excludePad ? 1 : 0;
  for (let r = 0; r < users; r++) {
    extra = Math.max(extra, (options.exclude?.[firstUser + r]?.length ?? 0) + (excludePad ? 1 : 0));
  }
  const fetch = Math.min(numItems, k + extra);
  const { values, indices } = tf.topk(scores, fetch, true);
  let vals: Float32Array;
  let ids: Int32Array;
  try {
    vals = (await values.data()) as Float32Array;
    ids = (await indices.data()) as Int32Array;
  } finally {
    values.dispose();
    indices.dispose();
  }
  const mask = new Uint8Array(numItems);
  const out: Int32Array[] = [];
  const candScores = new Float32Array(fetch);
  const candIds = new Int32Array(fetch);
  for (let r = 0; r < users; r++) {
    const excluded = markExclusions(mask, r, options);
    // Keep the fetched candidates that are not excluded, then order them as the CPU path would.
    let n = 0;
    for (let j = 0; j < fetch; j++) {
      const id = ids[r * fetch + j];
      if (mask[id] !== 0) continue;
      candScores[n] = vals[r * fetch + j];
      candIds[n] = id;
      n++;
    }
    out.push(sortCandidates(candScores, candIds, n, k));
    clearMarks(mask, excluded);
  }
  return out;
}

export interface DotProductTopKOptions extends TopKOptions {
  /** Users scored per matMul (default 256: a 256 × 12k float32 chunk is 12 MB). */
  chunkSize?: number;
}

/**
 * Full-catalogue top-K with scores = U·Vᵀ: `users` [U, D] against `items` [numItems, D], chunk by
 * chunk. Vᵀ is materialised once because matMul with a transposed operand is several times slower
 * on the wasm backend. Every intermediate tensor is disposed; the inputs are left alone.
 */
export async function topKByDotProduct(users: tf.Tensor2D, items: tf.Tensor2D, k: number, options: DotProductTopKOptions = {}): Promise<Int32Array[]> {
  const [numUsers, dim] = users.shape;
  if (items.shape[1] !== dim) {
    throw new Error(`topKByDotProduct: user dim ${dim} does not match item dim ${items.shape[1]}`);
  }
  const chunk = Math.max(1, options.chunkSize ?? 256);
  const itemsT = tf.transpose(items);
  const out: Int32Array[] = [];
  try {
    for (let start = 0; start < numUsers; start += chunk) {
      const end = Math.min(numUsers, start + chunk);
      const scores = tf.tidy(() => tf.matMul(tf.slice(users, [start, 0], [end - start, dim]), itemsT)) as tf.Tensor2D;
      try {
        const lists = await topKOfTensor(scores, k, {
          ...options,
          firstUser: (options.firstUser ?? 0) + start,
        });
        for (const list of lists) out.push(list);
      } finally {
        scores.dispose();
      }
    }
  } finally {
    itemsT.dispose();
  }
  return out;
}

/** True when (sa, ia) ranks below (sb, ib): lower score, or equal score and higher id. */
function worse(sa: number, ia: number, sb: number, ib: number): boolean {
  return sa < sb || (sa === sb && ia > ib);
}

/** Replaces the heap root with (s, id) and restores the worst-at-root order over `size` entries. */
function siftDownFromRoot(heapScores: Float64Array, heapIds: Int32Array, size: number, s: number, id: number): void {
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= size) break;
    const right = left + 1;
    let child = left;
    if (right < size && worse(heapScores[right], heapIds[right], heapScores[left], heapIds[left])) {
      child = right;
    }
    if (!worse(heapScores[child], heapIds[child], s, id)) break;
    heapScores[i] = heapScores[child];
    heapIds[i] = heapIds[child];
    i = child;
  }
  heapScores[i] = s;
  heapIds[i] = id;
}

/** The best `k` of n (score, id) candidates, best first, ties by lower id. */
function sortCandidates(scores: Float32Array, ids: Int32Array, n: number, k: number): Int32Array {
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => {
    const sa = scores[a] !== scores[a] ? -Infinity : scores[a];
    const sb = scores[b] !== scores[b] ? -Infinity : scores[b];
    return sa !== sb ? sb - sa : ids[a] - ids[b];
  });
  const out = new Int32Array(Math.min(k, n));
  for (let i = 0; i < out.length; i++) out[i] = ids[order[i]];
  return out;
}

/** Marks row r's excluded items (and the pad) in `mask`; returns what to clear afterwards. */
function markExclusions(mask: Uint8Array, r: number, options: TopKOptions): ArrayLike<number> | null {
  if (options.excludePad ?? true) mask[0] = 1;
  const excluded = options.exclude?.[(options.firstUser ?? 0) + r] ?? null;
  if (excluded !== null) {
    for (let i = 0; i < excluded.length; i++) {
      const id = excluded[i];
      if (id >= 0 && id < mask.length) mask[id] = 1;
    }
  }
  return excluded;
}

function clearMarks(mask: Uint8Array, excluded: ArrayLike<number> | null): void {
  if (excluded !== null) {
    for (let i = 0; i < excluded.length; i++) {
      const id = excluded[i];
      if (id >= 0 && id < mask.length) mask[id] = 0;
    }
  }
}
