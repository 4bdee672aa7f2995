// Files generated from the signature tables are committed; these tests fail when one is stale.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { referenceDoc } from "../../src/compiler/reference-doc.js";
import { generatedFiles } from "../../scripts/build-ir-schema.js";

describe("generated files are up to date", () => {
  it("docs/reference.md (npm run build:docs)", () => {
    expect(readFileSync("docs/reference.md", "utf8")).toBe(referenceDoc());
  });

  it("ir.schema.json and its compiled validator (npm run build:schema)", () => {
    const files = generatedFiles();
    expect(readFileSync("src/ir/ir.schema.json", "utf8")).toBe(files.schema);
    expect(readFileSync("src/ir/ir-validator.generated.js", "utf8")).toBe(files.validator);
  });

  it("documents every constructor of every block kind", () => {
    const doc = readFileSync("docs/reference.md", "utf8");
    for (const name of [
      "amazon",
      "synthetic",
      "content_vectors",
      "rqvae",
      "lsh",
      "multi_interest",
      "generative",
      "ranking",
      "distill",
      "transformer",
      "idw",
      "beam",
      "adamw",
      "topk",
    ]) {
      expect(doc).toContain(`\`${name}\``);
    }
  });
});
