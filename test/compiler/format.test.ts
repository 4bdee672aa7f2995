// Unit tests for format(): syntax errors give null, and the small layout rules each hold.
import { describe, expect, it } from "vitest";
import { format, printSpec } from "../../src/compiler/format.js";
import { parse } from "../../src/compiler/parse.js";

const fmt = (text: string): string | null => format(text, "t.recspec").text;

describe("format", () => {
  it("returns null text and the syntax errors when the input does not parse", () => {
    const out = format("model m = f( {", "bad.recspec");
    expect(out.text).toBeNull();
    expect(out.diagnostics.some((d) => d.severity === "error" && d.code === "RS1004")).toBe(true);
  });

  it("refuses a spec name that is not first rather than moving it", () => {
    expect(fmt('import "a.recspec"\nspec late\n')).toBeNull();
  });

  it("keeps an empty file empty and ends any other with exactly one newline", () => {
    expect(fmt("")).toBe("");
    expect(fmt("  \n\n")).toBe("");
    expect(fmt("spec s\n\n\n\n")).toBe("spec s\n");
    expect(fmt("// only a comment")).toBe("// only a comment\n");
  });

  it("prints numbers and strings exactly as written", () => {
    const text = 'param a = [200_000, 1e-3, -1, 0.25, 1_0.5E+7, "tab\\t\\"q\\""]\n';
    expect(fmt(text)).toBe(text);
  });

  it("aligns `=` only within a run of one-line assignments", () => {
    const out = fmt("model m = f { a = 1 long_name = 2 inner { x = 1 } bb = 3 }");
    expect(out).toBe("model m = f {\n  a         = 1\n  long_name = 2\n\n  inner {\n    x = 1\n  }\n  bb = 3\n}\n");
  });

  it("keeps an override body inline when it fits, and breaks it when it does not", () => {
    expect(fmt("param s = sasrec{embedding=16 encoder.layers=1}")).toBe("param s = sasrec { embedding = 16  encoder.layers = 1 }\n");
    const long = `param s = sasrec { ${"a".repeat(50)} = 1  ${"b".repeat(50)} = 2 }`;
    expect(fmt(long)).toBe(`param s = sasrec {\n  ${"a".repeat(50)} = 1\n  ${"b".repeat(50)} = 2\n}\n`);
  });

  it("breaks an argument list exactly when one more column would pass the width", () => {
    // `param p = f(` is 12 columns, `)` one more: 87 characters of argument fit, 88 do not.
    const fits = `param p = f(${"x".repeat(87)})`;
    expect(fmt(fits)).toBe(`${fits}\n`);
    const wide = `param p = f(${"x".repeat(88)})`;
    expect(fmt(wide)).toBe(`param p = f(\n  ${"x".repeat(88)}\n)\n`);
  });

  it("reserves room for ` {` after a block's arguments", () => {
    const args = "x".repeat(100 - "model m = f(".length - 1 - 2);
    expect(fmt(`model m = f(${args}) { a = 1 }`)).toBe(`model m = f(${args}) {\n  a = 1\n}\n`);
    expect(fmt(`model m = f(${args}y) { a = 1 }`)).toBe(`model m = f(\n  ${args}y\n) {\n  a = 1\n}\n`);
  });

  it("without the source, prints every comment on its own line (none is known to be trailing)", () => {
    const { ast } = parse("spec s // trailing\nparam a = 1\n", "t.recspec");
    expect(printSpec(ast)).toBe("spec s\n\n// trailing\nparam a = 1\n");
    expect(printSpec(ast, "spec s // trailing\nparam a = 1\n")).toBe("spec s  // trailing\n\nparam a = 1\n");
  });

  it("keeps comments that share a line with code on that line", () => {
    expect(fmt("model m = f {\n  a = 1 // one\n  b = [x, // two\n y]\n}")).toBe("model m = f {\n  a = 1  // one\n  b = [\n    x,  // two\n    y\n  ]\n}\n");
  });

  it("keeps a comment after an opening bracket on that line", () => {
    expect(fmt("model m = f { // why\n a = 1 }")).toBe("model m = f {  // why\n  a = 1\n}\n");
    expect(fmt("param p = [ /* first */ 1, 2]")).toBe("param p = [  /* first */\n  1,\n  2\n]\n");
  });

  it("reads CRLF input and writes LF", () => {
    expect(fmt("spec s\r\nparam a = 1 // c\r\nparam b = 2\r\n")).toBe("spec s\n\nparam a = 1  // c\nparam b = 2\n");
  });

  it("drops trailing blanks from line comments", () => {
    expect(fmt("spec s   // note   \n")).toBe("spec s  // note\n");
  });
});
