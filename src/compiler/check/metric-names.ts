// Help for an unknown metric name: the metric meant by a name other libraries use (`hitrate`,
// `hit_rate`, `roc_auc`…), else the nearest known name, where swapping two neighbouring letters counts
// as one edit (`ndgc` → `ndcg`, which plain edit distance puts two edits away). Takes the name as
// written and the names allowed there; gives the help line of RS4008, or undefined.
import { editDistance, suggest } from "./suggest.js";

/** Names used elsewhere (RecBole, TorchMetrics, papers) for the metrics recspec computes. */
const ALIASES: Readonly<Record<string, string>> = {
  hit: "hr",
  hits: "hr",
  hitrate: "hr",
  hit_rate: "hr",
  hit_ratio: "hr",
  hitratio: "hr",
  dcg: "ndcg",
  rocauc: "auc",
  roc_auc: "auc",
  gauc: "auc",
  itemcoverage: "coverage",
  item_coverage: "coverage",
  prec: "precision",
};

/**
 * "did you mean `hr@10`?" for `hitrate@10`, `ndcg@10` for `ndgc@10`; undefined when nothing is
 * close. `known` maps each allowed name to whether it takes a cut-off; `k` is the one written.
 */
export function metricHelp(name: string, known: Readonly<Record<string, string>>, k?: string): string | undefined {
  const names = Object.keys(known);
  const lower = name.toLowerCase();
  const alias = ALIASES[lower];
  const best = alias !== undefined && names.includes(alias) ? alias : (names.find((n) => isTransposition(lower, n)) ?? suggest(name, names));
  if (best === undefined) return undefined;
  return `did you mean \`${best}${k !== undefined && known[best] !== "no-k" ? `@${k}` : ""}\`?`;
}

/** Whether `a` is `b` with two neighbouring letters swapped. */
function isTransposition(a: string, b: string): boolean {
  if (a.length !== b.length || editDistance(a, b, 2) !== 2) return false;
  for (let i = 0; i + 1 < a.length; i++) {
    if (a[i] !== b[i]) return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return false;
}
