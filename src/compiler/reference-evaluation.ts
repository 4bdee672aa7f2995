// The "Evaluation protocol and metrics" section of docs/reference.md: what an `evaluate` ranks, when
// the user's history is left out (per model kind, from the checker's own default), how results
// state their protocol, how `--set` reaches an `evaluate`, and every metric name with the model
// kinds that compute it (from metric-support.ts) and the other names the checker maps to it.
// Takes nothing; gives markdown lines that reference-doc.ts places after the `evaluate` table.
import { excludesHistoryByDefault } from "./check/evaluation-protocol.js";
import { supportedMetrics, type ModelType } from "./check/metric-support.js";
import { METRICS } from "./check/values.js";

const MODEL_TYPES: readonly ModelType[] = ["sequential", "two_tower", "matrix_factorization", "ranking", "generative"];

const MEANINGS: Readonly<Record<string, string>> = {
  recall: "share of the user's held-out targets found in the top K",
  hr: "hit rate: 1 when a held-out target is in the top K, else 0",
  ndcg: "discounted gain of the targets' ranks in the top K, over the best possible",
  precision: "targets in the top K over K",
  coverage: "share of the catalogue that appears in at least one user's top K (one value, no interval)",
  mrr: "reciprocal rank of the first target (0 past the cut-off when one is written)",
  auc: "share of the candidates ranked below the target",
};

const CUTOFF: Readonly<Record<string, string>> = { k: "`@K` required", "no-k": "none", "optional-k": "optional" };

function metricRows(): string[] {
  return Object.entries(METRICS).map(([name, k]) => {
    const kinds = MODEL_TYPES.filter((t) => supportedMetrics(t, "evaluate").includes(name));
    const where = kinds.length === 0 ? "none (a check error, RS4011)" : kinds.map((t) => `\`${t}\``).join(", ");
    const stop = supportedMetrics("sequential", "early_stop").includes(name) ? "yes" : "no";
    return `| \`${name}\` | ${CUTOFF[k]} | ${MEANINGS[name] ?? ""} | ${where} | ${stop} |`;
  });
}

export function evaluationSection(): string[] {
  const excluding = MODEL_TYPES.filter(excludesHistoryByDefault).map((t) => `\`${t}\``);
  const keeping = MODEL_TYPES.filter((t) => !excludesHistoryByDefault(t)).map((t) => `\`${t}\``);
  return [
    "### Evaluation protocol",
    "",
    "Each example of the split (one per user with `leave_last_out`) is ranked with the model's scores:",
    "against the whole catalogue (`candidates = full`, padding never ranked) or as its target among",
    "`negatives` sampled items (`sampled(…)`, reported as sampled: such numbers are not comparable with",
    "full-catalogue ones). Every baseline is ranked the same way, with the same bootstrap resamples.",
    "",
    `**Seen items.** By default an \`evaluate\` of a ${excluding.join(", ")} model leaves the items of the`,
    "user's history out of the ranked list (with sampled candidates: out of the negatives), as RecBole and",
    "S3-Rec do — an item the user already has is no recommendation. A `distill` block follows its student.",
    `A ${keeping.join(", ")} model keeps them by default. With \`exclude_history = true\` its beam search`,
    "skips them: a beam never completes the ID of an item in the user's history (those last tokens are",
    "masked for that user's beams), nor enters a prefix all of whose items the user has seen, so the decoded",
    "list still holds `width` unseen items (all that remain, where fewer do). Unconstrained decoding",
    "(`constrain: none`) masks the same trie paths, so no beam names a seen item, though beams may still name",
    "no item at all; items never seen in training that the user has seen are left out of the prefix matches.",
    "`recspec recommend`, which leaves seen items out unless `--include-seen`, decodes the same way.",
    "Early stopping on a ranking metric ranks the validation users as the model's `evaluate` blocks do.",
    "",
    "**Stated with every result.** The console's table, `results.json` and `report.html` name the protocol of",
    "each evaluation: the candidates (full catalogue of N items, or the target + N sampled negatives), whether the",
    "history was excluded, and the data set's split (`leave_last_out`, `temporal_window`, …), e.g.",
    "`protocol: full catalogue (12101 items), history excluded, leave_last_out split`.",
    "",
    "**From the command line.** `--set MODEL.evaluate.ATTRIBUTE=VALUE` changes an attribute of every",
    "`evaluate MODEL on …` of the spec: `--set sasrec.evaluate.exclude_history=false`,",
    "`--set sasrec.evaluate.bootstrap=0`, `--set ranker.evaluate.candidates=sampled(negatives: 49)`.",
    "",
    "### Metrics",
    "",
    "A metric is written `name@K` (the top K of each ranked list) or `name`. The checker refuses a metric the",
    "model's evaluator cannot compute (RS4011) and suggests the metric meant by a misspelt or foreign name",
    "(RS4008: `ndgc@10` → `ndcg@10`, `hitrate@10` or `hit_rate@10` → `hr@10`, `roc_auc` → `auc`).",
    "",
    "| metric | cut-off | value | computed for | early stopping |",
    "|---|---|---|---|---|",
    ...metricRows(),
    "",
    "A `ranking` model is evaluated by each target's standing among its candidates, so it has `auc` but no",
    "`coverage`; the others produce top-K lists. `early_stop` also takes `loss`.",
    "",
  ];
}
