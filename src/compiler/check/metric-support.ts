// Which metrics each kind of model can compute, in one table. Takes a model type (a distill block
// is its student's) and a use (an `evaluate` or a report, or a `train { early_stop }`); gives the
// metric names that use supports, so the checker refuses at compile time what the runtime's
// evaluators would refuse after training. Mirrors the runtime's evaluators:
//  - top-K lists (sequential, two_tower, generative, matrix_factorization): recall, hr, ndcg, mrr, coverage;
//  - each target's standing among its candidates (ranking): recall, hr, ndcg, mrr, auc;
//  - early stopping ranks the validation users' full lists: loss, recall, hr, ndcg, mrr.
// `precision` parses (the IR keeps it) but no evaluator computes it.
import { METRICS } from "./values.js";

export type ModelType = "sequential" | "two_tower" | "generative" | "ranking" | "matrix_factorization";
export type MetricUse = "evaluate" | "early_stop";

const TOP_K = ["recall", "hr", "ndcg", "mrr", "coverage"] as const;
const STANDING = ["recall", "hr", "ndcg", "mrr", "auc"] as const;
const EARLY_STOP = ["loss", "recall", "hr", "ndcg", "mrr"] as const;

/** The metrics `type` computes for `use`. */
export function supportedMetrics(type: ModelType, use: MetricUse): readonly string[] {
  if (use === "early_stop") return EARLY_STOP;
  switch (type) {
    case "sequential":
    case "two_tower":
    case "generative":
    case "matrix_factorization":
      return TOP_K;
    case "ranking":
      return STANDING;
    default:
      return unknownModelType(type);
  }
}

/** Why a use cannot compute a metric, in words, for the diagnostic's message. */
export function evaluatorWords(type: ModelType, use: MetricUse): string {
  if (use === "early_stop") return "early stopping ranks the validation users' full lists";
  return type === "ranking"
    ? "a `ranking` model is evaluated by each target's standing among its candidates"
    : `a \`${type}\` model is evaluated on top-K lists`;
}

/** `recall@K, hr@K, …, mrr, auc` as the user writes them. */
export function describeMetrics(names: readonly string[]): string {
  return names
    .map((n) => {
      const k = METRICS[n];
      if (n === "loss" || k === "no-k") return `\`${n}\``;
      return k === "optional-k" ? `\`${n}\`, \`${n}@K\`` : `\`${n}@K\``;
    })
    .join(", ");
}

export function isModelType(type: string): type is ModelType {
  return type === "sequential" || type === "two_tower" || type === "generative" || type === "ranking" || type === "matrix_factorization";
}

/** The `never` arm of a switch over model types: a new type must be added to the table above. */
export function unknownModelType(type: never): never {
  throw new Error(`internal: no metric table for model type ${String(type)}`);
}
