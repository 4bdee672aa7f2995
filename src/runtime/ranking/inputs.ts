// What a ranking model's item representations read from other blocks: the Semantic-ID table a
// quantizer gives (quantizers/semantic-id-table.ts) and the content vectors a `features` block
// gives (features/item-features.ts). Takes nothing; gives those types under one import for the
// ranking runtime. Row 0 of each is the padding item (codes −1, vectors 0) and is never read.
export type { SemanticIdTable } from "../quantizers/semantic-id-table.js";
export type { ItemFeatures } from "../features/item-features.js";
