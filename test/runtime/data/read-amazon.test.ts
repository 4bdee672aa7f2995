import { describe, expect, it } from "vitest";
import { readAmazon } from "../../../src/runtime/data/read-amazon.js";
import { itemAttributeList, userItems } from "../../../src/runtime/data/interactions.js";
import { expectDataError, fixture } from "./fixtures.js";

describe("readAmazon", () => {
  it("reads sequences in file order with item index = item id, and the attributes", async () => {
    const s = await readAmazon(fixture("amazon"), "Tiny");
    expect(s.userIds).toEqual(["u1", "u2", "u3"]);
    expect(s.numItems).toBe(5);
    expect(s.itemIds).toEqual(["", "1", "2", "3", "4", "5"]);
    expect(Array.from(userItems(s, 1))).toEqual([2, 4, 3, 5]);
    expect(Array.from(userItems(s, 2))).toEqual([5, 1]);
    expect(Array.from(s.itemCounts)).toEqual([0, 2, 2, 2, 1, 2]);
    expect(s.times).toBeUndefined();
    // Attribute ids 10, 11, 12 sorted numerically; item 99 has no interactions and is ignored.
    expect(s.attributes!.attributeIds).toEqual(["10", "11", "12", "13"]);
    expect(Array.from(itemAttributeList(s, 1))).toEqual([0, 1]);
    expect(Array.from(itemAttributeList(s, 4))).toEqual([0, 2]);
    expect(Array.from(itemAttributeList(s, 5))).toEqual([]);
  });

  it("names line and column of a bad item id", async () => {
    const err = await expectDataError(readAmazon(fixture("amazon"), "BadItem"), {
      file: fixture("amazon", "BadItem.txt"),
      line: 2,
      column: 6,
      message: "expected a positive integer item id, found 'x4'",
    });
    expect(err.toString()).toBe(`${fixture("amazon", "BadItem.txt")}:2:6: expected a positive integer item id, found 'x4'`);
  });

  it("rejects a user listed twice and a user without items", async () => {
    await expectDataError(readAmazon(fixture("amazon"), "BadUser"), {
      file: fixture("amazon", "BadUser.txt"),
      line: 3,
      column: 1,
      message: "user 'u1' appears again (first on line 1)",
    });
    await expectDataError(readAmazon(fixture("amazon"), "NoItems"), {
      file: fixture("amazon", "NoItems.txt"),
      line: 3,
      column: 1,
      message: "user 'u2' has no items (expected 'user item item …')",
    });
  });

  it("locates invalid JSON and malformed entries in the attribute file", async () => {
    await expectDataError(readAmazon(fixture("amazon"), "BadJson"), {
      file: fixture("amazon", "BadJson_item2attributes.json"),
      line: 2,
      column: 10,
      message: 'invalid JSON: unexpected character "," where a value was expected',
    });
    await expectDataError(readAmazon(fixture("amazon"), "BadAttrs"), {
      file: fixture("amazon", "BadAttrs_item2attributes.json"),
      line: 2,
      column: 2,
      message: "attributes of item '2' must be a list of attribute ids",
    });
  });

  it("reports empty and missing files", async () => {
    await expectDataError(readAmazon(fixture("amazon"), "Empty"), { file: fixture("amazon", "Empty.txt"), message: "file is empty" });
    await expectDataError(readAmazon(fixture("amazon"), "Nope"), { file: fixture("amazon", "Nope.txt"), message: "cannot read file: no such file" });
  });

  it("loads the built-in Beauty data set with the published counts", async () => {
    const start = performance.now();
    const s = await readAmazon("data/amazon-beauty", "Beauty");
    const ms = performance.now() - start;
    expect(s.numUsers).toBe(22_363);
    expect(s.numItems).toBe(12_101);
    expect(s.numInteractions).toBe(198_502);
    expect(s.attributes!.numAttributes).toBe(637);
    expect(s.attributes!.values.length).toBe(45_037);
    // First line of Beauty.txt: "1 1 2 3 4 5".
    expect(Array.from(userItems(s, 0))).toEqual([1, 2, 3, 4, 5]);
    expect(s.itemIds[12_101]).toBe("12101");
    // Not a benchmark (BENCH.md: no timing asserts); only a guard against a gross regression.
    expect(ms).toBeLessThan(10_000);
  });
});
