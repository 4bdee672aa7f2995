// Weights that make each batch's update count by its share of an epoch's loss weight. Takes an
// epoch's batches and the model's loss weight of a batch (its target positions); gives the weight
// of a batch: its loss weight over the epoch's mean per batch, or undefined when the epoch holds no
// weight at all. Every epoch holds the same examples, so one epoch's mean serves for all.
export function weighByShare<B>(epoch: Iterable<B>, lossWeight: (batch: B) => number): { weight: (batch: B) => number; mean: number } | undefined {
  let total = 0;
  let count = 0;
  for (const batch of epoch) {
    total += lossWeight(batch);
    count++;
  }
  const mean = count > 0 ? total / count : 0;
  return mean > 0 ? { weight: (batch) => lossWeight(batch) / mean, mean } : undefined;
}
