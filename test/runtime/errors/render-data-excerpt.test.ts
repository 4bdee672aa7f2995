// A DataError with its line attached renders a window of that line under the location, with a
// caret under the column (rustc style), and --format json carries the window as data.excerpt.
import { describe, expect, it } from "vitest";
import { DataError } from "../../../src/runtime/data/data-error.js";
import { renderRunError, runErrorToLsp } from "../../../src/runtime/errors/render-run-error.js";

describe("renderRunError with an excerpt", () => {
  it("prints the line and a caret under the column", () => {
    const e = new DataError("/p/events.csv", 14, "timestamp in 'timestamp' must be a number, found 'oops'", 7).withLine("u1,i3,oops");
    expect(renderRunError(e, { cwd: "/p" })).toBe(
      [
        "error[RS6001]: timestamp in 'timestamp' must be a number, found 'oops'",
        "  --> events.csv:14:7",
        "    |",
        " 14 | u1,i3,oops",
        "    |       ^",
        "",
      ].join("\n"),
    );
    expect(runErrorToLsp(e).data.excerpt).toBe("u1,i3,oops");
  });

  it("prints no caret without a column, and escapes control characters in the line", () => {
    const e = new DataError("x.jsonl", 2, "expected a JSON object per line").withLine("[1,\u001b[2J2]");
    expect(renderRunError(e)).toBe(["error[RS6001]: expected a JSON object per line", "  --> x.jsonl:2", "   |", " 2 | [1,\\u{1b}[2J2]", ""].join("\n"));
  });
});
