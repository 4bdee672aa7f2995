import { describe, expect, it } from "vitest";
import { DataError } from "../../../src/runtime/data/data-error.js";

describe("DataError", () => {
  it("prints file:line: message", () => {
    const err = new DataError("data/x.csv", 12, "expected 3 columns, found 2");
    expect(err.toString()).toBe("data/x.csv:12: expected 3 columns, found 2");
    expect(err.message).toBe("expected 3 columns, found 2");
    expect(err).toBeInstanceOf(Error);
  });

  it("adds the column when known and leaves out the line when there is none", () => {
    expect(new DataError("a.jsonl", 3, "invalid JSON", 7).toString()).toBe("a.jsonl:3:7: invalid JSON");
    expect(new DataError("a.jsonl", undefined, "file is empty").toString()).toBe("a.jsonl: file is empty");
  });

  it("puts the location in the stack header for uncaught errors", () => {
    expect(new DataError("f.txt", 2, "bad").stack?.split("\n")[0]).toBe("DataError: f.txt:2: bad");
  });
});
