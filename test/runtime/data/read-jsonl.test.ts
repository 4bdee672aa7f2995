import { describe, expect, it } from "vitest";
import { readInteractionsJsonl } from "../../../src/runtime/data/read-jsonl.js";
import { userItems } from "../../../src/runtime/data/interactions.js";
import { expectDataError, fixture } from "./fixtures.js";

const keys = { user: "u", item: "i", time: "t" };

describe("readInteractionsJsonl", () => {
  it("reads one object per line, numbers and strings as ids, numeric strings as times", async () => {
    const s = await readInteractionsJsonl(fixture("jsonl", "good.jsonl"), keys);
    expect(s.userIds).toEqual(["alice", "bob"]);
    expect(s.itemIds).toEqual(["", "7", "8"]);
    expect(Array.from(userItems(s, 0))).toEqual([2, 1]);
    expect(Array.from(userItems(s, 1))).toEqual([1]);
    expect(Array.from(s.times!)).toEqual([1, 3, 2]);
  });

  it("locates invalid JSON by line and column", async () => {
    const err = await expectDataError(readInteractionsJsonl(fixture("jsonl", "bad-json.jsonl"), keys), {
      file: fixture("jsonl", "bad-json.jsonl"),
      line: 2,
      column: 21,
      message: `invalid JSON: expected ',' or '}' after a property value, found character "\\""`,
    });
    expect(err.toString().startsWith(`${fixture("jsonl", "bad-json.jsonl")}:2:21: invalid JSON`)).toBe(true);
  });

  it("names the line of a bad timestamp, a missing key, an empty id and a non-object", async () => {
    await expectDataError(readInteractionsJsonl(fixture("jsonl", "bad-time.jsonl"), keys), {
      file: fixture("jsonl", "bad-time.jsonl"),
      line: 1,
      column: 29,
      message: "timestamp in 't' must be a number, found 'later'",
    });
    await expectDataError(readInteractionsJsonl(fixture("jsonl", "missing-key.jsonl"), keys), {
      file: fixture("jsonl", "missing-key.jsonl"),
      line: 2,
      message: "missing key 'i'",
    });
    await expectDataError(readInteractionsJsonl(fixture("jsonl", "empty-id.jsonl"), keys), {
      file: fixture("jsonl", "empty-id.jsonl"),
      line: 2,
      column: 7,
      message: "empty id in 'u'",
    });
    await expectDataError(readInteractionsJsonl(fixture("jsonl", "not-object.jsonl"), keys), {
      file: fixture("jsonl", "not-object.jsonl"),
      line: 1,
      message: "expected a JSON object per line",
    });
  });
});
