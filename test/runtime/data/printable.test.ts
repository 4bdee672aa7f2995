// printable.ts: control characters escaped, values cut short, and a window of a huge line around
// the offending column with `…` at the cut ends and the caret on the right character.
import { describe, expect, it } from "vitest";
import { excerpt, printable, quoted, short } from "../../../src/runtime/data/printable.js";

describe("printable", () => {
  it("escapes C0, DEL, C1, bidi controls and the BOM; keeps other text", () => {
    expect(printable("a\tb\nc\rd")).toBe("a\\tb\\nc\\rd");
    expect(printable("\u0000\u001b[31m\u007f\u0085")).toBe("\\u{0}\\u{1b}[31m\\u{7f}\\u{85}");
    expect(printable("abc\u202edef\ufeff")).toBe("abc\\u{202e}def\\u{feff}");
    expect(printable("Les Misérables — 東京")).toBe("Les Misérables — 東京");
  });

  it("cuts a long value to the width with … and quotes it", () => {
    expect(short("x".repeat(100), 10)).toBe(`${"x".repeat(10)}…`);
    expect(quoted("u\n1")).toBe("'u\\n1'");
    expect(quoted("y".repeat(61))).toBe(`'${"y".repeat(60)}…'`);
    expect(quoted("y".repeat(60))).toBe(`'${"y".repeat(60)}'`);
  });
});

describe("excerpt", () => {
  it("shows a short line whole, the caret under the column", () => {
    expect(excerpt("u1,i3,oops", 7)).toEqual({ text: "u1,i3,oops", caret: 7 });
    // An escaped tab before the column widens the text: the caret moves with it.
    expect(excerpt("a\tb,bad", 5)).toEqual({ text: "a\\tb,bad", caret: 6 });
  });

  it("gives an 80-character window of a 30 MB line around the column", () => {
    const line = `${"a".repeat(15_000_000)}X${"b".repeat(15_000_000)}`;
    const column = 15_000_001; // the X
    const e = excerpt(line, column);
    // Window start = column − 1 − floor(80 / 3) = 14_999_974; 26 a's, the X, 53 b's, … at both ends.
    expect(e.text).toBe(`…${"a".repeat(26)}X${"b".repeat(53)}…`);
    expect(e.text[e.caret - 1]).toBe("X");
    expect(e.caret).toBe(28);
  });

  it("keeps the window inside the line at either end", () => {
    const line = "z".repeat(200);
    expect(excerpt(line, 1)).toEqual({ text: `${"z".repeat(80)}…`, caret: 1 });
    const end = excerpt(line, 200);
    expect(end.text).toBe(`…${"z".repeat(80)}`);
    expect(end.caret).toBe(81);
  });
});
