// Golden tests for the formatter: each test/fixtures/format/<case>/input.recspec must format to the
// expected.recspec beside it; the expected text must be a fixed point and mean what the input meant.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { format } from "../../src/compiler/format.js";
import { parse } from "../../src/compiler/parse.js";
import { comparableAst } from "../helpers/comparable-ast.js";
import { fixtureCases } from "../helpers/fixtures.js";

const cases = fixtureCases("format");

describe("format fixtures", () => {
  it("has the cases the formatter promises to cover", () => {
    const names = cases.map((c) => c.name);
    for (const name of ["messy-spacing", "comments-everywhere", "long-calls", "aligned-assignments"]) {
      expect(names).toContain(name);
    }
  });

  describe.each(cases)("$name", ({ dir, input, file }) => {
    const expected = readFileSync(join(dir, "expected.recspec"), "utf8");

    it("formats to expected.recspec", () => {
      const out = format(input, file);
      expect(out.diagnostics).toEqual([]);
      expect(out.text).toBe(expected);
    });

    it("leaves expected.recspec unchanged", () => {
      expect(format(expected, file).text).toBe(expected);
    });

    it("keeps the input's meaning and every comment", () => {
      const before = comparableAst(parse(input, file).ast);
      const after = comparableAst(parse(expected, file).ast);
      expect(after).toEqual(before);
    });

    it("keeps lines within 100 columns where they can break, and has no trailing spaces", () => {
      const lines = expected.split("\n");
      expect(lines.filter((l) => /[ \t]$/.test(l))).toEqual([]);
      // Only a line ending in a comment may run long: comments are never reflowed.
      expect(lines.filter((l) => l.length > 100 && !/\/\/|\*\//.test(l))).toEqual([]);
      expect(expected.endsWith("\n") && !expected.endsWith("\n\n")).toBe(true);
    });
  });
});
