// Metric names in the grammar follow the checker's metric table: every name the checker accepts with
// a cut-off (`recall@10`) or bare (`auc`) gets the metric scope, and a `name@K` it would refuse — a
// misspelling (`recal@10`) or a cut-off on a metric without one (`auc@10`) — is marked invalid.
import { describe, expect, it } from "vitest";
import { METRICS } from "../../src/compiler/check/values.js";
import { tokenize } from "./load-grammar.js";

const METRIC_SCOPE = "support.constant.metric.recspec";
const INVALID_SCOPE = "invalid.illegal.metric.recspec";

/** The scopes of the token at the start of `word` in `metrics = [<text>]`, inside an evaluate block. */
async function scopesOf(text: string, word: string): Promise<string[]> {
  const line = `  metrics = [${text}]`;
  const [, row] = await tokenize(`evaluate m on d.test {\n${line}\n}`);
  const start = line.indexOf(word, line.indexOf("["));
  const token = row.find((t) => t.start === start);
  expect(token, `no token starts at \`${word}\` in ${line}`).toBeDefined();
  expect(token!.text).toBe(word);
  return token!.scopes;
}

/** Every one-letter deletion of each metric name that is not itself a metric: `recal`, `ndg`, … */
const MISSPELLINGS = [...new Set(Object.keys(METRICS).flatMap((m) => [...m].map((_, i) => m.slice(0, i) + m.slice(i + 1))))].filter(
  (w) => w.length > 0 && !(w in METRICS),
);

describe("metric names in the grammar", () => {
  it("knows the checker's metrics", () => {
    expect(Object.keys(METRICS)).toEqual(expect.arrayContaining(["recall", "ndcg", "hr", "mrr", "auc"]));
    expect(MISSPELLINGS).toContain("recal");
  });

  it.each(Object.keys(METRICS))("scopes `%s@10` as the checker reads it", async (name) => {
    const scopes = await scopesOf(`${name}@10`, name);
    if (METRICS[name] === "no-k") {
      expect(scopes).toContain(INVALID_SCOPE);
      expect(scopes).not.toContain(METRIC_SCOPE);
    } else {
      expect(scopes).toContain(METRIC_SCOPE);
      expect(scopes).not.toContain(INVALID_SCOPE);
    }
  });

  it.each(Object.keys(METRICS))("scopes a bare `%s` as a metric only where no cut-off is needed", async (name) => {
    const scopes = await scopesOf(`${name}, x`, name);
    expect(scopes.includes(METRIC_SCOPE)).toBe(METRICS[name] !== "k");
  });

  it.each(MISSPELLINGS)("marks the misspelled `%s@10` invalid and a bare one not a metric", async (word) => {
    const cut = await scopesOf(`${word}@10`, word);
    expect(cut).toContain(INVALID_SCOPE);
    expect(cut).not.toContain(METRIC_SCOPE);
    expect(await scopesOf(`${word}, x`, word)).not.toContain(METRIC_SCOPE);
  });

  it("leaves a metric-named key, argument or member alone", async () => {
    const line = "  mrr = 1  auc: 2  x = auc.weight";
    const [, row] = await tokenize(`model m = sequential(d) {\n${line}\n}`);
    const metricTokens = row.filter((t) => t.scopes.includes(METRIC_SCOPE)).map((t) => t.text);
    expect(metricTokens).toEqual([]);
  });
});
