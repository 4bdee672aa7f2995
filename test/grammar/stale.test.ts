// The checked-in grammar JSON (beside its source and inside the VS Code extension) must be exactly
// what grammar/build.ts writes now; otherwise an edit to the source or the lexer was not rebuilt.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GRAMMAR_OUTPUTS, REPO_ROOT, renderGrammarJson, staleOutputs } from "../../grammar/build.js";
import { SCOPE_NAME } from "../../grammar/recspec.grammar.js";

describe("built grammar files", () => {
  it("are up to date with grammar/recspec.grammar.ts (rebuild: npx tsx grammar/build.ts)", () => {
    expect(staleOutputs()).toEqual([]);
  });

  it("render deterministically", () => {
    expect(renderGrammarJson()).toBe(renderGrammarJson());
    const parsed = JSON.parse(readFileSync(join(REPO_ROOT, GRAMMAR_OUTPUTS[0]), "utf8"));
    expect(parsed.scopeName).toBe(SCOPE_NAME);
  });

  it("reports a stale copy", () => {
    // An empty root has neither file, so both count as stale.
    expect(staleOutputs(join(REPO_ROOT, "grammar/tests"))).toEqual([...GRAMMAR_OUTPUTS]);
  });
});
