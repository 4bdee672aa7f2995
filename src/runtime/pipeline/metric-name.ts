// The display name of an IR metric. Takes `{metric, k}` as the IR writes it; gives `ndcg@10`, or
// the bare name (`mrr`, `loss`) when k is null — the key of result rows, logs and early stopping.

/** "ndcg@10" from {metric: "ndcg", k: 10}; "mrr" when k is null. */
export function metricName(m: { readonly metric: string; readonly k: number | null }): string {
  return m.k === null ? m.metric : `${m.metric}@${m.k}`;
}
