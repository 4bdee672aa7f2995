// The evaluation protocol's defaults that depend on the evaluated model. Takes a checked `evaluate`
// and the deriver's blocks; fills `exclude_history` when the spec (or a `--set`) left it unset:
// true for every model that ranks the catalogue (RecBole's and S3-Rec's protocol: an item the user
// already has is no recommendation), false for generative models, whose beam search decodes seen
// items like any other, so excluding them shortens the decoded list instead of replacing them.
import type { CheckedEvaluation } from "./blocks.js";
import type { Deriver } from "./derive.js";
import { evaluatedType } from "./metric-rules.js";
import { unknownModelType, type ModelType } from "./metric-support.js";

/** Whether an `evaluate` of a model of `type` leaves the user's history out unless told otherwise. */
export function excludesHistoryByDefault(type: ModelType): boolean {
  switch (type) {
    case "sequential":
    case "two_tower":
    case "matrix_factorization":
    case "ranking":
      return true;
    case "generative":
      return false;
    default:
      return unknownModelType(type);
  }
}

/** Fills the model-dependent defaults of `e` in place (its attributes are the ones lowered to the IR). */
export function resolveEvaluationDefaults(e: CheckedEvaluation, deriver: Deriver): void {
  if (e.attributes.exclude_history !== null) return;
  const type = evaluatedType(e.model, deriver);
  e.attributes.exclude_history = type === undefined ? false : excludesHistoryByDefault(type);
}
