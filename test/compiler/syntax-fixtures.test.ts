// Golden tests for the parser: each syntax fixture's rendered diagnostics, each AST fixture's tree.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderDiagnostics, sourceLookup } from "../../src/compiler/diagnostics/render.js";
import { parse } from "../../src/compiler/parse.js";
import { fixtureCases } from "../helpers/fixtures.js";

describe("syntax diagnostics", () => {
  for (const c of fixtureCases("syntax")) {
    it(c.name, async () => {
      const { diagnostics } = parse(c.input, c.file);
      expect(diagnostics.length).toBeGreaterThan(0);
      const rendered = renderDiagnostics(diagnostics, sourceLookup(new Map([[c.file, c.input]])), { color: false });
      await expect(rendered).toMatchFileSnapshot(join(c.dir, "expected.txt"));
    });
  }
});

describe("syntax trees", () => {
  for (const c of fixtureCases("ast")) {
    it(c.name, async () => {
      const { ast, diagnostics } = parse(c.input, c.file);
      expect(diagnostics).toEqual([]);
      await expect(`${JSON.stringify(ast, null, 2)}\n`).toMatchFileSnapshot(join(c.dir, "expected.json"));
    });
  }
});
