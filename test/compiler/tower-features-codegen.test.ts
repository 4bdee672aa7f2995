// The code a tower's `features` become in model.ts: with an MLP, the id and feature embeddings are
// concatenated (the MLP's input is E × (1 + features) wide); without one they are summed; an Amazon
// item tower reads `attributes` and names the item2attributes file for its messages; a full
// softmax two-tower scores the whole catalogue, a distilled student of it still in-batch.
import { describe, expect, it } from "vitest";
import { generate } from "../../src/compiler/codegen/index.js";
import { compileSpec } from "../../src/compiler/compile.js";

async function modelOf(lines: string[]): Promise<string> {
  const result = compileSpec("f.recspec", { readFile: () => undefined }, { entryText: lines.join("\n") });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const files = await generate(result.ir!);
  return files.find((f) => f.name === "model.ts")!.text.replace(/\s+/g, " ");
}

describe("tower features in generated code", () => {
  it("concatenates id and features before an MLP, and sums them without one", async () => {
    const model = await modelOf([
      "spec f",
      'dataset ml = movielens("ml")',
      "tower users = user_tower(ml) { embedding = 32  features = [age, occupation]  layers = [48] }",
      "tower items = item_tower(ml) { embedding = 48  features = [genres] }",
      "model m = two_tower(users, items) { loss = softmax }",
      "evaluate m on ml.test",
    ]);
    expect(model).toContain("const x = tf.concat([id, age, occupation], 1) as tf.Tensor2D; // [B, 96]: id and features side by side");
    expect(model).toContain('{ inDim: 96, sizes: [48], activation: "relu" }');
    expect(model).toContain("const x = tf.addN([id, genres]) as tf.Tensor2D; // [n, 48]: id and features summed");
    expect(model).toContain('new ItemFeatureLists(store, "genres", { tower: "items", dataset: "ml", file: "ml/u.item", })');
    expect(model).toContain('new UserFeatureRows(store, "age", { tower: "users", dataset: "ml", file: "ml/u.user", })');
    // The towers with features are made from the data set's store.
    expect(model).toContain('new UsersTower( this.params.scope("user_tower"), new UserRows(data.trainTargets, data.store.numUsers), data.store, )');
    expect(model).toMatch(/const logits = tf\.matMul\(user, items, false, true\) as tf\.Tensor2D; \/\/ \[B, N \+ 1\]/);
  });

  it("reads an Amazon item tower's attributes from the item2attributes file", async () => {
    const model = await modelOf([
      "spec f",
      'dataset beauty = amazon("data/beauty/", name: "Beauty")',
      "tower users = user_tower(beauty) { embedding = 16 }",
      "tower items = item_tower(beauty) { embedding = 16  features = [attributes] }",
      "model m = two_tower(users, items)",
      "evaluate m on beauty.test",
    ]);
    expect(model).toContain(
      'new ItemFeatureLists(store, "attributes", { tower: "items", dataset: "beauty", file: "data/beauty/Beauty_item2attributes.json", })',
    );
    // No user features: the user tower takes no store.
    expect(model).toContain('new UsersTower( this.params.scope("user_tower"), new UserRows(data.trainTargets, data.store.numUsers), )');
  });
});
