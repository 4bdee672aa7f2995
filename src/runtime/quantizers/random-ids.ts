// Random code tuples: the ablation baseline for Semantic IDs (TIGER Table: "random IDs"). Takes
// the number of items, levels, codebook size and a seed; gives base codes [(numItems + 1) × levels]
// (row 0 −1), each code uniform in [0, codebook), independent of content.
import { Rng } from "../random.js";

export function randomIdCodes(numItems: number, levels: number, codebook: number, seed: number): Int32Array {
  const rng = new Rng(seed).fork("random_ids");
  const out = new Int32Array((numItems + 1) * levels).fill(-1);
  for (let i = 1; i <= numItems; i++) for (let l = 0; l < levels; l++) out[i * levels + l] = rng.int(codebook);
  return out;
}
