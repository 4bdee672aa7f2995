// The VS Code extension's manifest and language configuration agree with the grammar and the lexer:
// the grammar path and scope resolve, comment markers and brackets are the lexer's, and the
// indentation and word patterns behave on real lines.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GRAMMAR_OUTPUTS, REPO_ROOT } from "../../grammar/build.js";
import { SCOPE_NAME } from "../../grammar/recspec.grammar.js";
import { lex } from "../../src/compiler/lexer.js";

const EXT = join(REPO_ROOT, "editors/vscode");
const manifest = JSON.parse(readFileSync(join(EXT, "package.json"), "utf8"));
const config = JSON.parse(readFileSync(join(EXT, "language-configuration.json"), "utf8"));

describe("VS Code extension manifest", () => {
  it("registers the recspec language with its configuration and grammar", () => {
    expect(manifest.name).toBe("recspec-vscode");
    expect(manifest.categories).toContain("Programming Languages");
    const [language] = manifest.contributes.languages;
    expect(language.id).toBe("recspec");
    expect(language.extensions).toEqual([".recspec"]);
    expect(existsSync(join(EXT, language.configuration))).toBe(true);
    const [grammar] = manifest.contributes.grammars;
    expect(grammar).toMatchObject({ language: "recspec", scopeName: SCOPE_NAME });
    expect(join(EXT, grammar.path)).toBe(join(REPO_ROOT, GRAMMAR_OUTPUTS[1]));
  });
});

describe("language configuration", () => {
  it("uses the lexer's comment markers", () => {
    const [open, close] = config.comments.blockComment;
    const line = lex(`${config.comments.lineComment} note`);
    const block = lex(`${open} note ${close}`);
    expect([line.comments.length, line.tokens.length]).toEqual([1, 0]);
    expect([block.comments.length, block.tokens.length]).toEqual([1, 0]);
  });

  it("pairs only brackets the lexer knows", () => {
    for (const [open, close] of config.brackets) {
      const { tokens, invalid } = lex(`${open}${close}`);
      expect(invalid).toEqual([]);
      expect(tokens.map((t) => t.image)).toEqual([open, close]);
    }
    expect(config.autoClosingPairs.map((p: { open: string }) => p.open)).toContain('"');
  });

  it("indents after an opening bracket and outdents on a closing one", () => {
    const increase = new RegExp(config.indentationRules.increaseIndentPattern);
    const decrease = new RegExp(config.indentationRules.decreaseIndentPattern);
    expect(increase.test("model sasrec = sequential(beauty) {")).toBe(true);
    expect(increase.test("  encoder = transformer(")).toBe(true);
    expect(increase.test("  metrics = [")).toBe(true);
    expect(increase.test("  train { epochs = 20 }")).toBe(false);
    expect(increase.test('  name = "{"')).toBe(false);
    expect(increase.test("// {")).toBe(false);
    expect(decrease.test("  }")).toBe(true);
    expect(decrease.test("  x = 1")).toBe(false);
  });

  it("selects numbers and metric names as single words", () => {
    const word = new RegExp(`^(?:${config.wordPattern})$`);
    for (const w of ["recall@10", "1e-3", "200_000", "leave_last_out"]) expect(word.test(w), w).toBe(true);
  });
});
