// The parser's bounds (src/compiler/input-limits.ts, parse.ts) and the renderer's (excerpt.ts,
// render.ts): what is refused as not a spec, where nesting stops, how many syntax errors are kept,
// and how long lines, control characters and many diagnostics are printed.
import { describe, expect, it } from "vitest";
import { diagnostic } from "../../src/compiler/diagnostics/diagnostic.js";
import { lineWindow, shorten } from "../../src/compiler/diagnostics/excerpt.js";
import { MAX_RENDERED_PER_FILE, renderDiagnostics, sourceLookup } from "../../src/compiler/diagnostics/render.js";
import { MAX_NESTING, MAX_SPEC_CHARS, textProblem, tooDeep } from "../../src/compiler/input-limits.js";
import { lex } from "../../src/compiler/lexer.js";
import { parse } from "../../src/compiler/parse.js";

/** CPU milliseconds `f` takes. */
function cpuMs(f: () => void): number {
  const start = process.cpuUsage();
  f();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

describe("what is not a spec", () => {
  it("a NUL byte, at its offset", () => {
    expect(textProblem("spec s\n\u0000")).toEqual({ offset: 7, reason: "it contains a NUL byte" });
  });

  it("more characters than a spec may have", () => {
    expect(textProblem(" ".repeat(MAX_SPEC_CHARS))).toBeUndefined();
    expect(textProblem(" ".repeat(MAX_SPEC_CHARS + 1))?.reason).toMatch(/more than the 262144 a spec may have/);
  });

  it("bytes that were not UTF-8 in 5% of the start, but not one stray character in a comment", () => {
    expect(textProblem(`spec s // caf\uFFFD\n${"x".repeat(200)}`)).toBeUndefined();
    const text = "\uFFFD\u0001ab".repeat(50);
    expect(textProblem(text)).toEqual({ offset: 0, reason: "100 of its first 200 characters are control characters or bytes that are not UTF-8" });
  });

  it("parse gives one RS1009 and an empty spec", () => {
    const { ast, diagnostics } = parse("spec s\nmodel m = x\n\u0000", "f.recspec");
    expect(diagnostics.map((d) => d.code)).toEqual(["RS1009"]);
    expect(ast.items).toEqual([]);
  });
});

describe("nesting", () => {
  it("stops at the first bracket deeper than MAX_NESTING, whatever its kind", () => {
    const open = "[({".repeat(30);
    const tokens = lex(open).tokens;
    expect(tooDeep(tokens)).toBe(tokens[MAX_NESTING]);
    expect(tooDeep(lex(`${"[".repeat(MAX_NESTING)}${"]".repeat(MAX_NESTING)}`).tokens)).toBeUndefined();
    // Closing brackets make room again.
    expect(tooDeep(lex("[]".repeat(1000)).tokens)).toBeUndefined();
  });

  it("parses the other declarations of the file", () => {
    const text = `spec s\nparam a = ${"[".repeat(500)}\nparam b = 1\n`;
    const { ast, diagnostics } = parse(text, "f.recspec");
    expect(diagnostics.map((d) => d.code)).toEqual(["RS1010"]);
    expect(diagnostics[0].span.start).toBe(text.indexOf("[") + MAX_NESTING);
    expect(ast.items.map((i) => i.kind)).toEqual(["SpecName", "Param"]);
  });
});

describe("many syntax errors", () => {
  it("keeps 100 and counts the rest exactly when every error was found", () => {
    const { diagnostics } = parse(`spec s\n${"$ ".repeat(150)}`, "f.recspec");
    expect(diagnostics).toHaveLength(101);
    expect(diagnostics[100].message).toBe("this file has 50 more syntax errors, not shown");
  });

  it("stops parsing at the budget (at least N more), in time proportional to what it shows", () => {
    const text = `spec s\nmodel m = sequential(d${", ".repeat(20_000)}) {}\n`;
    let result: ReturnType<typeof parse> | undefined;
    const ms = cpuMs(() => (result = parse(text, "f.recspec")));
    expect(result!.diagnostics).toHaveLength(101);
    expect(result!.diagnostics[100].code).toBe("RS1011");
    expect(result!.diagnostics[100].message).toMatch(/^this file has at least \d+ more syntax errors, not shown$/);
    expect(ms).toBeLessThan(2_000);
  });

  it("reads the largest text it accepts, all garbage, in well under a second of CPU", () => {
    const chars = "#$%{}[]()=,.:@ab 0\n";
    let text = "";
    for (let i = 0; text.length < MAX_SPEC_CHARS - 100; i++) text += chars[(i * 7919) % chars.length];
    expect(cpuMs(() => parse(text, "f.recspec"))).toBeLessThan(1_500);
  });
});

describe("excerpts", () => {
  it("shortens long quotes", () => {
    expect(shorten("abc")).toBe("abc");
    expect(shorten("x".repeat(50))).toBe(`${"x".repeat(39)}…`);
  });

  it("shows short lines whole and long lines as a window around the mark", () => {
    expect(lineWindow("abc", 2, 3)).toEqual({ text: "abc", from: 2, to: 3 });
    const line = "0123456789".repeat(100);
    const w = lineWindow(line, 501, 503);
    // 20 characters of context before the mark, after the leading `…`.
    expect(w.text).toBe(`…${line.slice(480, 600)}…`);
    expect(w.text[w.from - 1]).toBe(line[500]);
    expect(w.to - w.from).toBe(2);
    // A mark running past the window ends at its edge.
    const long = lineWindow(line, 501, 1001);
    expect(long.to).toBe(long.text.length);
  });

  it("prints control characters as visible symbols and caps the frames per file", () => {
    const text = `a\u0001b\u001bc\n${"x\n".repeat(300)}`;
    const list = Array.from({ length: MAX_RENDERED_PER_FILE + 50 }, (_, i) =>
      diagnostic("RS1001", "f", { start: i === 0 ? 1 : 6 + 2 * i, end: i === 0 ? 2 : 7 + 2 * i }, { char: "x" }),
    );
    const out = renderDiagnostics(list, sourceLookup(new Map([["f", text]])), { color: false });
    expect(out).toContain("1 | a\u2401b\u241bc\n");
    expect(out.match(/^error\[RS1001\]/gm)).toHaveLength(MAX_RENDERED_PER_FILE);
    expect(out).toContain("… and 50 more in f\n\nFound 250 errors.");
  });
});
