// A `quantizer` block's value at run time, as the generated program's quantizer class implements
// it: its name and sizes, how it gives every item its Semantic ID (fit), and, once fitted or
// restored, the table. Models that read Semantic IDs (ranking item representations, TIGER) need
// only `name` and `table`. Takes nothing; gives the type.
import type { SemanticIdTable } from "./semantic-id-table.js";

export interface Quantizer {
  readonly name: string;
  /** How the codes are made ("rqvae", "lsh", "random_ids"); recorded with the saved table. */
  readonly method: string;
  /** Base tokens per item and codes per level: a restored table must have the same. */
  readonly levels: number;
  readonly codebook: number;
  /** Set by fitSemanticIds or restoreSemanticIds. */
  table: SemanticIdTable | null;
  /** Makes the table (training first, for an RQ-VAE); `log` takes progress lines. */
  fit(log: (line: string) => void): SemanticIdTable | Promise<SemanticIdTable>;
  dispose(): void;
}
