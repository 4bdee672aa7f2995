import { describe, expect, it } from "vitest";
import { codeForScript, escapeHtml, jsonForScript } from "../../../src/runtime/report/escape.js";

describe("escaping for inline HTML", () => {
  it("escapes markup characters in text and attributes", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;");
  });

  it("writes JSON without `<` that parses back to the same value", () => {
    const value = { note: "</script><!-- x -->", list: [1, "</SCRIPT>"], missing: NaN };
    const text = jsonForScript(value);
    expect(text).not.toContain("<");
    expect(JSON.parse(text)).toEqual({ ...value, missing: null });
  });

  it("breaks `</script` and `<!--` in code without changing what strings and regexes mean", () => {
    const source = `var a = "</script>"; var b = /<\\/SCRIPT/i.test("</SCRIPT"); var c = '<!--';`;
    const safe = codeForScript(source);
    expect(safe).not.toMatch(/<\/script/i);
    expect(safe).not.toContain("<!--");
    const run = (code: string) => new Function(`${code}; return [a, b, c];`)() as unknown[];
    expect(run(safe)).toEqual(run(source));
    expect(run(safe)).toEqual(["</script>", true, "<!--"]);
  });
});
