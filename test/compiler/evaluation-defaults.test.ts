// The checker's model-dependent evaluation defaults, through the compiler's IR: seen items are left
// out for every kind that ranks the catalogue and kept for generative models (unless the spec or a
// `--set` says otherwise), and an experiment without `report` reports the evaluated metrics that
// every evaluated model computes.
import { describe, expect, it } from "vitest";
import { compileSpec } from "../../src/compiler/compile.js";

const data = "dataset synth = synthetic { users = 60 }\nquantizer sid = random_ids(synth.items) { levels = 2  codebook = 8 }\n";
const models: Record<string, string> = {
  sequential: "model m = sequential(synth)",
  two_tower: "tower u = sequence_encoder(synth)\ntower i = item_tower(synth)\nmodel m = two_tower(u, i)",
  matrix_factorization: "model m = matrix_factorization(synth)",
  ranking: "model m = ranking(synth)",
  generative: "model m = generative(synth, ids: sid)",
};

function compile(text: string, set: string[] = []) {
  const result = compileSpec("x.recspec", { readFile: (p) => (p === "x.recspec" ? text : undefined) }, { set });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  expect(errors.map((d) => d.message)).toEqual([]);
  return result.ir!;
}

describe("evaluation defaults", () => {
  it.each(Object.entries(models))("%s: history excluded unless it is generative", (kind, model) => {
    const ir = compile(`spec x\n${data}${model}\nevaluate m on synth.test { metrics = [hr@5] }\n`);
    expect(ir.evaluations[0].exclude_history).toBe(kind !== "generative");
  });

  it("keeps what the spec writes, and what `--set m.evaluate.…` says over it", () => {
    const spec = `spec x\n${data}${models.sequential}\nevaluate m on synth.test { metrics = [hr@5]  exclude_history = false }\n`;
    expect(compile(spec).evaluations[0].exclude_history).toBe(false);
    const set = compile(spec, ["m.evaluate.exclude_history=true", "m.evaluate.bootstrap=7", "m.evaluate.metrics=[ndcg@3]"]).evaluations[0];
    expect(set).toMatchObject({ exclude_history: true, bootstrap: 7, metrics: [{ metric: "ndcg", k: 3 }] });
  });

  it("fills an experiment's report with the evaluated metrics every evaluated model computes", () => {
    const spec = [
      `spec x\n${data}model a = sequential(synth)\n${models.generative}`,
      "model r = ranking(synth)",
      "evaluate a on synth.test { metrics = [hr@5, coverage@5, mrr] }",
      "evaluate m on synth.test { metrics = [hr@5, ndcg@10] }",
      "evaluate r on synth.test { metrics = [auc, hr@5] }",
      "experiment e { vary a.embedding in [8, 16] }",
    ].join("\n");
    // coverage: not for ranking; mrr: no cut-off, past the generative beam; auc: top-K models lack it.
    expect(compile(spec).experiments[0].report).toEqual([
      { metric: "hr", k: 5, by: null },
      { metric: "ndcg", k: 10, by: null },
    ]);
  });
});
