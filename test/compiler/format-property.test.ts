// Property tests for the formatter: generated ASTs print to text that parses back to the same AST
// and prints again identically, however the tokens are spaced; comments sprinkled between any two
// tokens survive in order, and the result is a fixed point of `format`.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { format, printSpec } from "../../src/compiler/format.js";
import { lex } from "../../src/compiler/lexer.js";
import { parse } from "../../src/compiler/parse.js";
import { comparableAst } from "../helpers/comparable-ast.js";
import { specFile } from "../helpers/spec-arbitraries.js";

const errorsOf = (text: string) => parse(text, "gen.recspec").diagnostics.filter((d) => d.severity === "error");

type Style = "line" | "block" | "long-block";
const commentFor = (style: Style, n: number): string =>
  style === "line" ? ` // c${n}\n` : style === "block" ? ` /* c${n} */ ` : ` /* c${n}\n   more ${n} */ `;

/** Inserts comments at token boundaries (`picks` index the boundaries, wrapping around). */
function insertComments(text: string, picks: readonly { at: number; style: Style }[]): string {
  const bounds = [0, text.length];
  for (const t of lex(text).tokens) bounds.push(t.startOffset, t.startOffset + t.image.length);
  const chosen = picks.map((p) => ({ pos: bounds[p.at % bounds.length], style: p.style })).sort((a, b) => a.pos - b.pos);
  let out = "";
  let from = 0;
  chosen.forEach((c, n) => {
    out += text.slice(from, c.pos) + commentFor(c.style, n);
    from = c.pos;
  });
  return out + text.slice(from);
}

describe("format properties", () => {
  it("prints generated ASTs to text that parses back to the same AST, and prints it again identically", () => {
    fc.assert(
      fc.property(specFile, (ast) => {
        const printed = printSpec(ast);
        expect(errorsOf(printed)).toEqual([]);
        const reparsed = parse(printed, "gen.recspec").ast;
        expect(comparableAst(reparsed)).toEqual(comparableAst(ast));
        expect(printSpec(reparsed, printed)).toBe(printed);
      }),
      { numRuns: 300 },
    );
  });

  it("gives the same text however the tokens are spaced", () => {
    const gaps = fc.array(fc.constantFrom(" ", "\n", "\t  ", "\n\n    ", "   "), { minLength: 1 });
    fc.assert(
      fc.property(specFile, gaps, (ast, seps) => {
        const canonical = printSpec(ast);
        const tokens = lex(canonical).tokens.map((t) => t.image);
        const respaced = tokens.map((t, i) => t + seps[i % seps.length]).join("");
        expect(format(respaced, "spaced.recspec").text).toBe(canonical);
      }),
      { numRuns: 200 },
    );
  });

  it("keeps every comment, in order, wherever it is inserted, and is idempotent", () => {
    const picks = fc.array(fc.record({ at: fc.nat(), style: fc.constantFrom<Style>("line", "block", "long-block") }), {
      minLength: 1,
      maxLength: 6,
    });
    fc.assert(
      fc.property(specFile, picks, (ast, chosen) => {
        const input = insertComments(printSpec(ast), chosen);
        expect(errorsOf(input)).toEqual([]);
        const once = format(input, "in.recspec").text;
        expect(once).not.toBeNull();
        const before = parse(input, "in.recspec").ast;
        const after = parse(once!, "out.recspec").ast;
        expect(after.comments.length).toBe(chosen.length);
        expect(comparableAst(after)).toEqual(comparableAst(before));
        expect(format(once!, "out.recspec").text).toBe(once);
        expect(once!.split("\n").filter((line) => /\s$/.test(line))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
