import { describe, expect, it } from "vitest";
import { formatDifference, formatDifferences, signed } from "../../../src/runtime/eval/format-differences.js";

describe("formatDifferences", () => {
  it("signs values and drops the leading zero", () => {
    expect(signed(0.029, 3)).toBe("+.029");
    expect(signed(-0.0031, 3)).toBe("-.003");
    expect(signed(-0.00001, 3)).toBe("+.000");
    expect(signed(1.25, 2)).toBe("+1.25");
    expect(formatDifference({ mean: 0.029, low: 0.012, high: 0.046 }, 3)).toBe("+.029 [+.012, +.046]");
    expect(formatDifference({ mean: 0.029, low: NaN, high: NaN }, 3)).toBe("+.029");
    expect(formatDifference({ mean: NaN, low: NaN, high: NaN }, 3)).toBe("-");
  });

  it("writes a line per baseline, naming slices only when there are several", () => {
    const d = (name: string, mean: number) => ({ name, mean, low: mean - 0.01, high: mean + 0.01 });
    const one = {
      model: "tt",
      rows: [
        { metric: "recall@10", slice: "all", differences: [d("popularity", 0.1), d("item_knn", 0.03)] },
        { metric: "ndcg@10", slice: "all", differences: [d("popularity", 0.05), d("item_knn", -0.02)] },
        { metric: "coverage@10", slice: "all" },
      ],
    };
    expect(formatDifferences(one, 3)).toBe(
      [
        "paired differences (model − baseline, same bootstrap resamples):",
        "tt − popularity: recall@10 +.100 [+.090, +.110], ndcg@10 +.050 [+.040, +.060]",
        "tt − item_knn: recall@10 +.030 [+.020, +.040], ndcg@10 -.020 [-.030, -.010]",
        "",
      ].join("\n"),
    );
    const sliced = {
      model: "tt",
      rows: [
        { metric: "recall@10", slice: "all", differences: [d("popularity", 0.1)] },
        { metric: "recall@10", slice: "tail", differences: [d("popularity", 0.2)] },
      ],
    };
    expect(formatDifferences(sliced, 2)).toContain("tt − popularity (tail): recall@10 +.20 [+.19, +.21]");
    expect(formatDifferences({ model: "tt", rows: [{ metric: "recall@10", slice: "all" }] })).toBe("");
  });
});
