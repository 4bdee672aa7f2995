// Item vectors of several id lists (a batch's histories and its candidates) for a ranking model's
// training step. Takes an ItemRepresentation and the lists; gives one [ids.length, dim] tensor per
// list, the values embed gives.
//
// Why: each lookup of a table representation adds its own full-size table gradient, which the tape
// then sums (two 16.7 MB arrays zeroed, scattered into and added in the SID-ranking step); a
// representation that can serve the lists from one lookup (embedParts) gives one gradient with the
// same numbers. Others embed each list.
import type * as tf from "@tensorflow/tfjs-core";
import type { ItemRepresentation } from "./item-representations.js";

export function embedParts(item: ItemRepresentation, lists: readonly Int32Array[]): tf.Tensor2D[] {
  return item.embedParts?.(lists) ?? lists.map((ids) => item.embed(ids));
}
