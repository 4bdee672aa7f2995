// Locality-sensitive hashing with random hyperplanes (TIGER's LSH ablation). Takes item vectors,
// levels, codebook size and a seed; gives base codes [(numItems + 1) × levels] (row 0 −1). Each
// level draws b = log2(codebook) Gaussian hyperplanes through the centroid of the items; bit j of
// an item's code at that level is 1 when the item lies on the positive side of hyperplane j. A
// codebook that is not a power of two uses ⌊log2⌋ bits (codes stay below codebook).
import type { ItemFeatures } from "../features/item-features.js";
import { Rng } from "../random.js";

export function lshCodes(features: ItemFeatures, levels: number, codebook: number, seed: number): Int32Array {
  const { dim, numItems, vectors } = features;
  const bits = Math.max(1, Math.floor(Math.log2(codebook)));
  const rng = new Rng(seed).fork("lsh");
  // Centre the vectors so hyperplanes through the origin split the catalogue, not its corner.
  const mean = new Float64Array(dim);
  for (let i = 1; i <= numItems; i++) for (let j = 0; j < dim; j++) mean[j] += vectors[i * dim + j] / numItems;
  const out = new Int32Array((numItems + 1) * levels).fill(-1);
  for (let l = 0; l < levels; l++) {
    const planes = new Float64Array(bits * dim);
    for (let k = 0; k < planes.length; k++) planes[k] = rng.normal();
    for (let i = 1; i <= numItems; i++) {
      let code = 0;
      for (let b = 0; b < bits; b++) {
        let dot = 0;
        for (let j = 0; j < dim; j++) dot += planes[b * dim + j] * (vectors[i * dim + j] - mean[j]);
        if (dot > 0) code |= 1 << b;
      }
      out[i * levels + l] = code;
    }
  }
  return out;
}
