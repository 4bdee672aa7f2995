import { describe, expect, it } from "vitest";
import { readInteractionsCsv } from "../../../src/runtime/data/read-csv.js";
import { userItems } from "../../../src/runtime/data/interactions.js";
import { expectDataError, fixture } from "./fixtures.js";

const names = { user: "user", item: "item", time: "time" };

describe("readInteractionsCsv", () => {
  it("reads named columns, quoted fields (commas, doubled quotes, line breaks) and sorts by time", async () => {
    const s = await readInteractionsCsv(fixture("csv", "good.csv"), { user: "user_id", item: "item_id", time: "ts" });
    expect(s.userIds).toEqual(["alice", "bob"]);
    expect(s.itemIds).toEqual(["", "i1", "i2", "i3"]);
    // alice: i1@30, i2@10, i3@10 → i2, i3, i1 ; bob: i1@20, i2@5 → i2, i1
    expect(Array.from(userItems(s, 0))).toEqual([2, 3, 1]);
    expect(Array.from(userItems(s, 1))).toEqual([2, 1]);
  });

  it("keeps file order without a time column", async () => {
    const s = await readInteractionsCsv(fixture("csv", "good.csv"), { user: "user_id", item: "item_id" });
    expect(Array.from(userItems(s, 0))).toEqual([1, 2, 3]);
    expect(s.times).toBeUndefined();
  });

  it("names file and line of a row with the wrong column count", async () => {
    const err = await expectDataError(readInteractionsCsv(fixture("csv", "bad-columns.csv"), names), {
      file: fixture("csv", "bad-columns.csv"),
      line: 3,
      message: "expected 3 columns, found 2",
    });
    expect(err.toString()).toBe(`${fixture("csv", "bad-columns.csv")}:3: expected 3 columns, found 2`);
  });

  it("names line and column of a non-numeric timestamp and of an empty id", async () => {
    await expectDataError(readInteractionsCsv(fixture("csv", "bad-time.csv"), names), {
      file: fixture("csv", "bad-time.csv"),
      line: 3,
      column: 5,
      message: "timestamp in 'time' must be a number, found 'soon'",
    });
    await expectDataError(readInteractionsCsv(fixture("csv", "empty-id.csv"), names), {
      file: fixture("csv", "empty-id.csv"),
      line: 2,
      column: 1,
      message: "empty id in 'user'",
    });
  });

  it("counts lines inside quoted fields", async () => {
    await expectDataError(readInteractionsCsv(fixture("csv", "bad-after-multiline.csv"), names), {
      file: fixture("csv", "bad-after-multiline.csv"),
      line: 4,
      column: 5,
      message: "timestamp in 'time' must be a number, found 'zz'",
    });
  });

  it("rejects broken quoting", async () => {
    await expectDataError(readInteractionsCsv(fixture("csv", "unterminated.csv"), names), {
      file: fixture("csv", "unterminated.csv"),
      line: 2,
      column: 3,
      message: "quoted field is never closed",
    });
    await expectDataError(readInteractionsCsv(fixture("csv", "after-quote.csv"), names), {
      file: fixture("csv", "after-quote.csv"),
      line: 2,
      column: 6,
      message: 'unexpected "y" after a closing quote',
    });
  });

  it("rejects a missing column, a header without rows and an empty file", async () => {
    await expectDataError(readInteractionsCsv(fixture("csv", "bad-time.csv"), { ...names, time: "when" }), {
      file: fixture("csv", "bad-time.csv"),
      line: 1,
      message: "no column named 'when' in the header (columns: user, item, time)",
    });
    await expectDataError(readInteractionsCsv(fixture("csv", "header-only.csv"), names), {
      file: fixture("csv", "header-only.csv"),
      line: 1,
      message: "header but no rows",
    });
    await expectDataError(readInteractionsCsv(fixture("csv", "empty.csv"), names), { file: fixture("csv", "empty.csv"), message: "file is empty" });
    await expectDataError(readInteractionsCsv(fixture("csv", "blank.csv"), names), { file: fixture("csv", "blank.csv"), message: "file is empty" });
  });
});
