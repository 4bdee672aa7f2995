// Item feature vectors as the quantizers read them. Takes nothing; gives the ItemFeatures type
// and a check of its layout: one row of `dim` floats per item index 0..numItems, row 0 (the
// padding item) all zeros, so item i's vector is vectors[i·dim, (i+1)·dim).

export interface ItemFeatures {
  readonly dim: number;
  /** Number of real items; vectors has numItems + 1 rows. */
  readonly numItems: number;
  /** Row-major [(numItems + 1) × dim]; row 0 is padding (zeros). */
  readonly vectors: Float32Array;
}

/** Throws when the vectors do not have (numItems + 1) × dim finite entries. */
export function checkItemFeatures(features: ItemFeatures, what = "features"): void {
  const { dim, numItems, vectors } = features;
  if (!Number.isInteger(dim) || dim < 1) throw new Error(`${what}: dim must be a positive integer, got ${dim}`);
  if (vectors.length !== (numItems + 1) * dim) {
    throw new Error(`${what}: expected ${(numItems + 1) * dim} values ((${numItems} items + padding) × ${dim}), got ${vectors.length}`);
  }
  for (let i = 0; i < vectors.length; i++) {
    if (!Number.isFinite(vectors[i])) throw new Error(`${what}: item ${Math.floor(i / dim)} has a non-finite value`);
  }
}
