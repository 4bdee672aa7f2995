import { describe, expect, it } from "vitest";
import { readMovieLens, MOVIELENS_GENRES } from "../../../src/runtime/data/read-movielens.js";
import { itemAttributeList, userItems } from "../../../src/runtime/data/interactions.js";
import { expectDataError, fixture } from "./fixtures.js";

describe("readMovieLens", () => {
  it("sorts each user's items by timestamp, ties in file order", async () => {
    const s = await readMovieLens(fixture("ml-good"));
    expect(s.userIds).toEqual(["1", "2", "3"]);
    expect(s.itemIds).toEqual(["", "1", "2", "3", "4"]);
    // user 1: item 2 @300, item 1 @100, item 3 @100 → 1, 3 (tie: file order), 2.
    expect(Array.from(userItems(s, 0))).toEqual([1, 3, 2]);
    expect(Array.from(userItems(s, 1))).toEqual([3, 1]);
    expect(Array.from(userItems(s, 2))).toEqual([4]);
    expect(Array.from(s.times!)).toEqual([100, 100, 300, 50, 60, 10]);
  });

  it("turns titles into item text (Latin-1) and genre flags into attributes", async () => {
    const s = await readMovieLens(fixture("ml-good"));
    expect(s.itemText).toEqual(["", "Toy Story (1995)", "GoldenEye (1995)", "Four Rooms (1995)", "Les Misérables (1995)"]);
    expect(s.attributes!.attributeIds).toEqual(MOVIELENS_GENRES);
    const names = (i: number) => Array.from(itemAttributeList(s, i), (a) => s.attributes!.attributeIds[a]);
    expect(names(1)).toEqual(["Animation", "Children's", "Comedy"]);
    expect(names(2)).toEqual(["Action", "Adventure", "Thriller"]);
    expect(names(4)).toEqual(["Action", "Comedy", "Drama"]);
  });

  it("names the line and column of a non-numeric timestamp", async () => {
    const err = await expectDataError(readMovieLens(fixture("ml-bad-timestamp")), {
      file: fixture("ml-bad-timestamp", "u.data"),
      line: 3,
      column: 7,
      message: "timestamp must be an integer, found '12x'",
    });
    expect(err.toString()).toBe(`${fixture("ml-bad-timestamp", "u.data")}:3:7: timestamp must be an integer, found '12x'`);
  });

  it("names the line of a u.item row with the wrong number of fields", async () => {
    await expectDataError(readMovieLens(fixture("ml-bad-item")), {
      file: fixture("ml-bad-item", "u.item"),
      line: 2,
      message: "expected 24 '|'-separated fields, found 23",
    });
  });

  it("reports a missing folder as an unreadable file", async () => {
    await expectDataError(readMovieLens(fixture("no-such-dir")), {
      file: fixture("no-such-dir", "u.item"),
      message: "cannot read file: no such file",
    });
  });
});
