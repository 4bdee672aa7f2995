// Popularity slices for sliced evaluation. Takes the training interactions' item ids (or their
// counts) and gives item-level slices — head (the most frequent fraction of the catalogue), an
// optional torso, tail (the rest) and cold (items never seen in training, a subset of tail) — and
// per-user masks that put each user in the slices of their test target item, plus "all".

export interface SliceOptions {
  /** Fraction of the catalogue (pad excluded) counted as head, by training frequency. Default 0.2. */
  headFraction?: number;
  /** Fraction after the head counted as torso. Default 0: no torso slice, tail is everything else. */
  torsoFraction?: number;
}

/** Item-level slices: for each slice name, a 0/1 mask over item ids (index 0, the pad, is always 0). */
export interface ItemSlices {
  names: string[];
  masks: Record<string, Uint8Array>;
}

/** Per-item training counts from a flat list of training item ids; ids outside [0, numItems) throw. */
export function countItems(trainItems: ArrayLike<number>, numItems: number): Int32Array {
  const counts = new Int32Array(numItems);
  for (let i = 0; i < trainItems.length; i++) {
    const id = trainItems[i];
    if (!(id >= 0 && id < numItems) || !Number.isInteger(id)) {
      throw new Error(`countItems: item id ${id} at position ${i} is outside [0, ${numItems})`);
    }
    counts[id]++;
  }
  return counts;
}

/**
 * Splits items 1..n-1 by training count. Items are ordered by count descending, ties by lower id,
 * and the first round(headFraction · (n-1)) are head; this fixed size (rather than a count
 * threshold) keeps the head fraction exact even when many items share the boundary count.
 */
export function popularitySlices(counts: ArrayLike<number>, options: SliceOptions = {}): ItemSlices {
  const headFraction = options.headFraction ?? 0.2;
  const torsoFraction = options.torsoFraction ?? 0;
  if (headFraction < 0 || torsoFraction < 0 || headFraction + torsoFraction > 1) {
    throw new Error(`popularitySlices: bad fractions head=${headFraction} torso=${torsoFraction}`);
  }
  const numItems = counts.length;
  const catalogue = Math.max(0, numItems - 1);
  const order = Array.from({ length: catalogue }, (_, i) => i + 1);
  order.sort((a, b) => counts[b] - counts[a] || a - b);
  const headSize = Math.round(headFraction * catalogue);
  const torsoSize = Math.round((headFraction + torsoFraction) * catalogue) - headSize;

  const head = new Uint8Array(numItems);
  const torso = new Uint8Array(numItems);
  const tail = new Uint8Array(numItems);
  const cold = new Uint8Array(numItems);
  order.forEach((id, position) => {
    if (position < headSize) head[id] = 1;
    else if (position < headSize + torsoSize) torso[id] = 1;
    else tail[id] = 1;
  });
  for (let id = 1; id < numItems; id++) if (counts[id] === 0) cold[id] = 1;

  const names = torsoFraction > 0 ? ["head", "torso", "tail", "cold"] : ["head", "tail", "cold"];
  const masks: Record<string, Uint8Array> = { head, tail, cold };
  if (torsoFraction > 0) masks.torso = torso;
  return { names, masks };
}

/**
 * Per-user masks: user u belongs to slice s when their target item is in s. Users whose target is
 * the pad (0, i.e. no test item) belong to no slice, not even "all". Returns "all" first, then the
 * item slices in order.
 */
export function userSliceMasks(targets: ArrayLike<number>, itemSlices: ItemSlices): { names: string[]; masks: Record<string, Uint8Array> } {
  const n = targets.length;
  const all = new Uint8Array(n);
  for (let u = 0; u < n; u++) all[u] = targets[u] > 0 ? 1 : 0;
  const masks: Record<string, Uint8Array> = { all };
  for (const name of itemSlices.names) {
    const itemMask = itemSlices.masks[name];
    const userMask = new Uint8Array(n);
    for (let u = 0; u < n; u++) {
      const t = targets[u];
      userMask[u] = t > 0 && t < itemMask.length && itemMask[t] !== 0 ? 1 : 0;
    }
    masks[name] = userMask;
  }
  return { names: ["all", ...itemSlices.names], masks };
}
