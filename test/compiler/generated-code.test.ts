// The generated program of every example spec is committed in generated/<spec>/; this fails when a
// file there is stale (run `npm run generate`). Also: generation is deterministic, and spec strings
// and names can never become code.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Project, SyntaxKind } from "ts-morph";
import { describe, expect, it } from "vitest";
import { diskHost } from "../../src/cli/host.js";
import { generate } from "../../src/compiler/codegen/index.js";
import { compileSpec } from "../../src/compiler/compile.js";

const SPECS = readdirSync("specs")
  .filter((f) => f.endsWith(".recspec"))
  .sort();

async function filesOf(path: string, entryText?: string) {
  const result = compileSpec(path, entryText === undefined ? diskHost : { readFile: () => undefined }, { entryText });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return generate(result.ir!);
}

describe("generated code", () => {
  for (const spec of SPECS) {
    it(`generated/${spec.replace(".recspec", "")} is up to date`, async () => {
      const files = await filesOf(`specs/${spec}`);
      const dir = join("generated", spec.replace(".recspec", ""));
      for (const file of files) {
        const committed = readFileSync(join(dir, file.name), "utf8");
        expect(committed, `${dir}/${file.name} is stale: run \`npm run generate\``).toBe(file.text);
      }
    });
  }

  it("is deterministic", async () => {
    const a = await filesOf("specs/mur_idw.recspec");
    const b = await filesOf("specs/mur_idw.recspec");
    expect(a).toEqual(b);
  });

  it("hands a two-tower distilled student its own tower blocks", async () => {
    const spec = [
      "spec kd",
      "dataset synth = synthetic",
      "tower users = multi_interest(synth) { embedding = 32 }",
      "tower items = item_tower(synth) { embedding = 32 }",
      "tower small_users = multi_interest(synth) { embedding = 8 }",
      "tower small_items = item_tower(synth) { embedding = 8 }",
      "model retrieval = two_tower(users, items) { score = max_interest }",
      "distill small = distill(teacher: retrieval, student: retrieval { user = small_users  item = small_items })",
      "evaluate small on synth.test",
    ].join("\n");
    const files = await filesOf("kd.recspec", spec);
    const model = files.find((f) => f.name === "model.ts")!.text.replace(/\s+/g, " ");
    // The student is a class over its own (smaller) tower classes, the teacher is the trained `retrieval`.
    expect(model).toMatch(/export class SmallNetwork implements InBatchStudent \{[^]*readonly user: SmallUsersTower;[^]*readonly item: SmallItemsTower;/);
    expect(model).toContain(
      'return new TwoTowerDistillModel( student, retrieval, { temperature: 2, alpha: 0.5, target: { label: "full", readsProbabilities: true, of: fullTarget }, }, "small", );',
    );
    expect(model).not.toContain("BlockSpec");
    const train = files.find((f) => f.name === "train.ts")!.text;
    expect(train.indexOf("const retrieval = new RetrievalModel(synth);")).toBeLessThan(train.indexOf("const small = buildSmall(synth, retrieval, run);"));
  });

  it("hands a ranking distilled student the data set's item inputs", async () => {
    const spec = [
      "spec kd",
      "dataset synth = synthetic",
      'features content = vectors("vectors.jsonl", items: synth.items, dim: 8)',
      "model ranker = ranking(synth) { item = dense(content) }",
      "distill small = distill(teacher: ranker, student: ranker { embedding = 16 })",
      "evaluate small on synth.test",
    ].join("\n");
    const files = await filesOf("kd.recspec", spec);
    const model = files.find((f) => f.name === "model.ts")!.text.replace(/\s+/g, " ");
    // The ranking student is a class of its own over the data set's content vectors, 16 wide.
    expect(model).toMatch(/export class SmallNetwork implements PairwiseRanker \{[^]*dim: 16,/);
    expect(model).toContain("const student = new SmallNetwork(synth, content);");
    expect(model).toContain(
      'return new RankingDistillModel( student, ranker, { temperature: 2, alpha: 0.5, target: { label: "full", of: (pairs) => fullBinaryTarget(pairs, 2) }, }, "small", );',
    );
  });

  it("emits hostile strings and names as data, never as code", async () => {
    const hostile = [
      "spec hostile",
      'param __proto__ = "x"',
      'param constructor = "y"',
      'dataset class = interactions("a\\"); process.exit(1); //\\n`${process.exit(2)}`</script>") {',
      '  user = "u\\\\"',
      "  format = csv",
      "}",
      "tower new = item_tower(class)",
      "tower function = multi_interest(class)",
      "model delete = two_tower(function, new) { score = max_interest }",
      "evaluate delete on class.test",
    ].join("\n");
    const files = await filesOf("hostile.recspec", hostile);
    const code = files
      .filter((f) => f.name.endsWith(".ts"))
      .map((f) => f.text)
      .join("\n");
    // Parsed as TypeScript, `process` never appears as code: only inside string literals.
    const project = new Project({ useInMemoryFileSystem: true });
    for (const file of files.filter((f) => f.name.endsWith(".ts"))) {
      const source = project.createSourceFile(file.name, file.text);
      const identifiers = source.getDescendantsOfKind(SyntaxKind.Identifier).map((id) => id.getText());
      expect(identifiers).not.toContain("process");
      expect(source.getDescendantsOfKind(SyntaxKind.TemplateExpression)).toEqual([]);
    }
    expect(code).toContain("process.exit(1)");
    expect(code).not.toMatch(/^\s*__proto__:/m);
    // Identifiers derive from names but never equal a keyword.
    expect(code).toMatch(/function loadClass\(/);
    expect(code).toMatch(/class DeleteModel\b/);
    expect(code).not.toMatch(/\bconst (class|new|function|delete)\b/);
  });
});
