import { describe, expect, it } from "vitest";
import { locateJsonError } from "../../../src/runtime/data/json-locate.js";

describe("locateJsonError", () => {
  it("accepts valid JSON", () => {
    expect(locateJsonError('{"a": [1, -2.5e3, "x\\n\\u00e9", true, null], "b": {}}')).toBeUndefined();
  });

  it("finds the offset where JSON.parse would fail", () => {
    expect(locateJsonError('{"a":}')).toEqual({ offset: 5, reason: 'unexpected character "}" where a value was expected' });
    expect(locateJsonError('{"a":1')).toEqual({ offset: 6, reason: "expected ',' or '}' after a property value, found end of input" });
    expect(locateJsonError('{"a":1}}')).toEqual({ offset: 7, reason: "unexpected text after the JSON value" });
    expect(locateJsonError('["ab')).toEqual({ offset: 1, reason: "unterminated string" });
    expect(locateJsonError("[1,]")?.offset).toBe(3);
    expect(locateJsonError("{a:1}")?.reason).toBe('unexpected character "a" where a property name was expected');
  });
});
