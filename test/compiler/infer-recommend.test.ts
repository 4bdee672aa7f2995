// The `recommenders` and `recommend` the compiler writes into infer.ts: every model and distilled
// student of the spec by name, each with its own data set; a generative model through its class
// (its Semantic IDs and beam search), a distilled ranker as its student network (as it is
// evaluated); the default model the first one evaluated, else the first one.
import { describe, expect, it } from "vitest";
import { generate } from "../../src/compiler/codegen/index.js";
import { compileSpec } from "../../src/compiler/compile.js";

async function inferOf(lines: string[]): Promise<string> {
  const result = compileSpec("r.recspec", { readFile: () => undefined }, { entryText: lines.join("\n") });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return (await generate(result.ir!)).find((f) => f.name === "infer.ts")!.text;
}

const stack = "transformer(layers: 1, heads: 2, head_dim: 4, d_model: 8, d_ff: 16, max_positions: 64)";
const BLOCKS = [
  "spec r",
  "dataset synth = synthetic { history = 10 }",
  "dataset other = synthetic { history = 5  seed = 9 }",
  "quantizer sid = random_ids(synth.items) { levels = 2  codebook = 8 }",
  `model tiger = generative(synth, ids: sid) {\n  encoder = ${stack}\n  decoder = ${stack}\n}`,
  "model ranker = ranking(other) { item = random_id(buckets: 64) }",
  "distill small = distill(teacher: ranker, student: ranker { embedding = 4 })",
  "model seq = sequential(other)",
];

describe("infer.ts recommend", () => {
  it("lists every model with its data set, generative ones through their class, distilled rankers as students", async () => {
    const text = await inferOf([...BLOCKS, "evaluate seq on other.test"]);
    expect(text).toMatch(
      /export function recommenders\(trained: Trained\): Record<string, Recommender> \{\s*return \{\s*tiger: generativeRecommender\(trained\.tiger as TigerModel, trained\.synth\),\s*ranker: catalogueRecommender\(trained\.ranker, trained\.other\),\s*small: catalogueRecommender\(trained\.small\.student, trained\.other\),\s*seq: catalogueRecommender\(trained\.seq, trained\.other\),\s*\};/,
    );
    expect(text).toMatch(/import \{[^}]*\bTigerModel\b[^}]*\} from "\.\/model\.js"/);
    // The default is the first model evaluated, not the first model.
    expect(text).toMatch(/model: options\.model \?\? "seq"/);
  });

  it("defaults to the first model when the spec evaluates none", async () => {
    const text = await inferOf(BLOCKS);
    expect(text).toMatch(/model: options\.model \?\? "tiger"/);
    expect(text).toMatch(
      /export function recommend\(\s*run: Run,\s*trained: Trained,\s*users: UserIds,\s*k: number,\s*options: RecommendOptions = \{\},?\s*\): AsyncGenerator<UserRecommendation>/,
    );
  });
});
