// Public API of example weighting: per-item weights the generated two-tower models hold and the
// inverse-frequency weights; the IDW trainer itself is a program stage (program/stages-idw.ts).
export { ExampleWeights, targetCounts } from "./example-weights.js";
export { inverseFrequencyWeights } from "./inverse-frequency.js";
export type { IdwSettings } from "./idw.js";
export type { WeightedModel } from "./weighted-model.js";
