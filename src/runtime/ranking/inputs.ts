// What a ranking model's item representations read from other blocks, as structural types: the
// Semantic-ID table a quantizer gives, and the content vectors a `features` block gives. Takes
// nothing; gives types only. Declared here by shape (not imported) so the ranking runtime does not
// depend on the quantizer's module; any object of this shape serves.

/** Semantic IDs of every item (PAPERS.md §3): `levels` codes from a `codebook`-sized codebook,
 * plus (when tokensPerItem = levels + 1) a collision suffix that numbers items sharing a tuple. */
export interface SemanticIdTable {
  readonly levels: number;
  readonly codebook: number;
  /** Entries per item in `codes`: levels, or levels + 1 with the collision suffix. */
  readonly tokensPerItem: number;
  /** (numItems + 1) × tokensPerItem row-major; row 0 is the padding item. */
  readonly codes: Int32Array;
}

/** Content vectors of every item: (numItems + 1) × dim row-major, row 0 (padding) zero. */
export interface ItemFeatures {
  readonly dim: number;
  readonly vectors: Float32Array;
}
