// Every reserved word of the lexer, in a position where the parser takes it as a keyword, must get a
// keyword-like scope from the grammar; and every keyword the lexer also accepts as a name must read
// as a name when used as an attribute key. KEYWORDS comes from the lexer, so a new word fails here.
import { describe, expect, it } from "vitest";
import { KEYWORDS, Name, keywordTokens, type Keyword } from "../../src/compiler/lexer.js";
import { tokenize, type LineToken } from "./load-grammar.js";

/** A realistic snippet per keyword; the keyword's first whole-word occurrence is the one checked. */
const SNIPPETS: Record<Keyword, string> = {
  spec: "spec quickstart",
  import: 'import "common.recspec"',
  param: "param lr = 1e-3",
  dataset: 'dataset beauty = amazon("data/amazon-beauty", name: "Beauty") { history = 50 }',
  features: "features content = content_vectors(beauty.items, method: tfidf_svd, dim: 256)",
  tower: "tower items = item_tower(synth) { embedding = 16 }",
  quantizer: "quantizer sid = rqvae(content) {\n  levels = 3\n}",
  model: "model sasrec = sequential(beauty) {\n  loss = softmax\n}",
  distill: "distill small = distill(teacher: sasrec, student: sasrec { embedding = 16 })",
  evaluate: "evaluate sasrec on beauty.test {\n  metrics = [recall@10]\n}",
  on: "evaluate sasrec on beauty.test",
  experiment: "experiment sweep {\n  seeds = 3\n}",
  vary: "experiment sweep {\n  vary synth.item_power in [0.0, 0.5]\n}",
  in: "experiment sweep {\n  vary users.interests in [1, 3]\n}",
  by: "experiment sweep {\n  report = [hr@10 by popularity(head: 0.2)]\n}",
  true: "model m = sequential(d) {\n  encoder = transformer(causal: true)\n}",
  false: "param causal = false",
};

const KEYWORD_SCOPE = /^(keyword|storage\.type|constant\.language)\./;

/** The token exactly covering the first whole-word `word` in `source`, from line `fromRow` on. */
async function tokenOf(source: string, word: string, fromRow = 0): Promise<LineToken> {
  const lines = source.split("\n");
  const tokens = await tokenize(source);
  const pattern = new RegExp(`\\b${word}\\b`);
  const row = lines.findIndex((line, i) => i >= fromRow && pattern.test(line));
  expect(row, `snippet has no \`${word}\``).toBeGreaterThanOrEqual(0);
  const start = lines[row].search(pattern);
  const token = tokens[row].find((t) => t.start === start);
  expect(token, `no token starts at \`${word}\``).toBeDefined();
  return token!;
}

describe("keywords in the grammar", () => {
  it("has a snippet for every lexer keyword", () => {
    expect(Object.keys(SNIPPETS).sort()).toEqual([...KEYWORDS].sort());
  });

  it.each([...KEYWORDS])("highlights `%s` as a keyword where the parser reads one", async (word) => {
    const token = await tokenOf(SNIPPETS[word], word);
    expect(token.text).toBe(word);
    expect(
      token.scopes.filter((s) => KEYWORD_SCOPE.test(s)),
      token.scopes.join(" "),
    ).not.toEqual([]);
  });

  // The lexer lets most keywords stand as names (`model = tiger` inside a block); those must not glow.
  const nameKeywords = KEYWORDS.filter((k) => keywordTokens[k].CATEGORIES?.includes(Name));

  it("knows which keywords are also names", () => {
    expect(nameKeywords).toContain("model");
    expect(nameKeywords).not.toContain("true");
  });

  it.each(nameKeywords)("reads `%s` as an attribute key inside a block", async (word) => {
    const token = await tokenOf(`model m = sequential(d) {\n  ${word} = 1\n}`, word, 1);
    expect(token.text).toBe(word);
    expect(token.scopes).toContain("variable.other.property.recspec");
    expect(token.scopes.filter((s) => KEYWORD_SCOPE.test(s))).toEqual([]);
  });
});
