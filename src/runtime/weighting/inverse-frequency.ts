// `weighting = inverse_frequency`: every training target counts as much in total. Takes the
// training-target counts (length N + 1); gives per-item example weights w_j = 1 / (p_j · |I|), p_j
// the item's share of the targets and |I| the number of items that are targets at all (0 for the
// others). ExampleWeights rescales them to mean 1 over the examples.

export function inverseFrequencyWeights(counts: ArrayLike<number>): Float32Array {
  let total = 0;
  let seen = 0;
  for (let j = 1; j < counts.length; j++) {
    total += counts[j];
    if (counts[j] > 0) seen++;
  }
  const w = new Float32Array(counts.length);
  for (let j = 1; j < counts.length; j++) {
    const p = total > 0 ? counts[j] / total : 0;
    w[j] = p > 0 ? 1 / (p * seen) : 0;
  }
  return w;
}
