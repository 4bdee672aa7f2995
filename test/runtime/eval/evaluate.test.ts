import { describe, expect, it } from "vitest";
import { EvalAccumulator, evaluateLists, evaluateRanker, formatComparison, maxCutoff, type EvalRow } from "../../../src/runtime/eval/evaluate.js";
import { PopularityBaseline } from "../../../src/runtime/eval/popularity-baseline.js";

// Four users over items 1..5 (numItems 6). User 3 has no target and is left out everywhere.
const lists = [
  [1, 2, 3],
  [4, 5, 1],
  [2, 3, 4],
  [1, 2, 3],
];
const targets = [1, 1, 4, 0];
const slices = {
  names: ["all", "head", "tail"],
  masks: { all: [1, 1, 1, 0], head: [1, 1, 0, 0], tail: [0, 0, 1, 0] },
};

function row(rows: EvalRow[], metric: string, slice: string): EvalRow {
  const r = rows.find((x) => x.metric === metric && x.slice === slice);
  if (r === undefined) throw new Error(`no row ${metric}/${slice}`);
  return r;
}

describe("evaluateLists", () => {
  const rows = evaluateLists(lists, {
    metrics: ["hr@1", "ndcg@3", "mrr", "coverage@2"],
    targets,
    numItems: 6,
    slices,
    bootstrap: { resamples: 200, seed: 1 },
  });

  it("gives one row per metric and slice, metrics first", () => {
    expect(rows.map((r) => `${r.metric}/${r.slice}`)).toEqual([
      "hr@1/all",
      "hr@1/head",
      "hr@1/tail",
      "ndcg@3/all",
      "ndcg@3/head",
      "ndcg@3/tail",
      "mrr/all",
      "mrr/head",
      "mrr/tail",
      "coverage@2/all",
      "coverage@2/head",
      "coverage@2/tail",
    ]);
  });

  it("averages hand-computed per-user values within each slice", () => {
    // Ranks of the targets: user 0 → 0, user 1 → 2, user 2 → 2.
    expect(row(rows, "hr@1", "all").mean).toBeCloseTo(1 / 3, 12);
    expect(row(rows, "hr@1", "all").n).toBe(3);
    expect(row(rows, "ndcg@3", "all").mean).toBeCloseTo((1 + 0.5 + 0.5) / 3, 12);
    expect(row(rows, "ndcg@3", "head").mean).toBeCloseTo(0.75, 12);
    expect(row(rows, "ndcg@3", "tail").mean).toBeCloseTo(0.5, 12);
    expect(row(rows, "mrr", "head").mean).toBeCloseTo((1 + 1 / 3) / 2, 12);
    const tail = row(rows, "mrr", "tail");
    expect(tail).toEqual({ metric: "mrr", slice: "tail", mean: 1 / 3, low: 1 / 3, high: 1 / 3, n: 1 });
  });

  it("computes coverage per slice from the slice's users, without an interval", () => {
    // Top-2 lists of users 0..2: {1,2}, {4,5}, {2,3} → 5 of 5 items; head users → {1,2,4,5}.
    expect(row(rows, "coverage@2", "all").mean).toBeCloseTo(1, 12);
    expect(row(rows, "coverage@2", "head").mean).toBeCloseTo(4 / 5, 12);
    expect(row(rows, "coverage@2", "tail").mean).toBeCloseTo(2 / 5, 12);
    expect(Number.isNaN(row(rows, "coverage@2", "all").low)).toBe(true);
  });

  it("defaults to one slice of the users that have a target", () => {
    const plain = evaluateLists(lists, { metrics: ["hr@3"], targets, numItems: 6 });
    expect(plain).toHaveLength(1);
    expect(plain[0].slice).toBe("all");
    expect(plain[0].n).toBe(3);
    expect(plain[0].mean).toBe(1);
  });

  it("accepts several relevant items per user", () => {
    const multi = evaluateLists(lists, { metrics: ["recall@2"], targets: [[1, 3], [5], [9, 8], []], numItems: 10 });
    expect(multi[0].n).toBe(3);
    expect(multi[0].mean).toBeCloseTo((0.5 + 1 + 0) / 3, 12);
  });
});

describe("evaluateRanker", () => {
  it("gives the same table as evaluating all lists at once", async () => {
    const options = { metrics: ["ndcg@3", "coverage@1"], targets, numItems: 6, slices, bootstrap: { resamples: 100 } };
    const calls: Array<[number, number]> = [];
    const chunked = await evaluateRanker(
      async (first, count) => {
        calls.push([first, count]);
        return lists.slice(first, first + count);
      },
      { ...options, chunkSize: 3 },
    );
    expect(calls).toEqual([
      [0, 3],
      [3, 1],
    ]);
    expect(chunked).toEqual(evaluateLists(lists, options));
  });

  it("rejects a ranker returning the wrong number of lists, and unranked users", async () => {
    await expect(evaluateRanker(() => [[1]], { metrics: ["hr@1"], targets, numItems: 6 })).rejects.toThrow(/returned 1 lists/);
    const acc = new EvalAccumulator({ metrics: ["hr@1"], targets, numItems: 6 });
    acc.add(0, lists.slice(0, 2));
    expect(() => acc.finish()).toThrow(/user 2/);
  });
});

describe("maxCutoff", () => {
  it("is the largest K among the metrics", () => {
    expect(maxCutoff(["hr@5", "ndcg@20", "mrr", "coverage@10"])).toBe(20);
  });
});

describe("formatComparison", () => {
  it("aligns model and popularity columns", () => {
    const counts = [0, 9, 8, 7, 6, 5];
    const baseline = new PopularityBaseline(counts);
    const options = { metrics: ["hr@1", "coverage@2"], targets, numItems: 6, bootstrap: { resamples: 50 } };
    const model = evaluateLists(lists, options);
    const pop = evaluateLists(baseline.rankUsers(2, 4), options);
    const text = formatComparison(model, pop, { digits: 2 });
    const lines = text.trimEnd().split("\n");
    expect(lines[0].split(/\s+/)).toEqual(["metric", "slice", "n", "model", "popularity"]);
    expect(lines[1]).toMatch(/^-+ +-+ +-+ +-+ +-+$/);
    // hr@1: model 1/3 with an interval; popularity ranks item 1 first, the target of users 0 and 1.
    expect(lines[2]).toMatch(/^hr@1 +all +3 +0\.33 \[0\.\d\d, \d\.\d\d\] +0\.67 \[0\.\d\d, 1\.00\]$/);
    // coverage has no interval: model top-2 covers 5/5, popularity covers {1, 2} = 2/5.
    expect(lines[3]).toMatch(/^coverage@2 +all +3 +1\.00 +0\.40$/);
    // Every line has the same width up to its last column: columns line up.
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });

  it("prints a single column without a baseline and a dash for a missing match", () => {
    const rows: EvalRow[] = [{ metric: "mrr", slice: "all", mean: 0.25, low: 0.2, high: 0.3, n: 10 }];
    // Text columns align left, numbers (and their headers) right.
    expect(formatComparison(rows)).toBe(
      "metric  slice   n                    model\n" + "------  -----  --  -----------------------\n" + "mrr     all    10  0.2500 [0.2000, 0.3000]\n",
    );
    expect(formatComparison(rows, [])).toMatch(/mrr +all +10 +0\.2500 \[0\.2000, 0\.3000\] +-\n$/);
  });
});
