import { describe, expect, it } from "vitest";
import { buildInteractions, itemAttributeList, PAD_ITEM, userItems } from "../../../src/runtime/data/interactions.js";

describe("buildInteractions", () => {
  const store = buildInteractions(
    { users: ["b", "a", "b", "a", "b"], items: ["x", "y", "z", "x", "y"], times: [5, 2, 1, 2, 5] },
    {
      itemText: new Map([
        ["x", "ex"],
        ["z", "zed"],
      ]),
      attributes: new Map([
        ["y", ["k", "j"]],
        ["x", ["j"]],
      ]),
    },
  );

  it("indexes users and items densely in order of first use, item 0 being padding", () => {
    expect(PAD_ITEM).toBe(0);
    expect(store.userIds).toEqual(["b", "a"]);
    expect(store.itemIds).toEqual(["", "x", "y", "z"]);
    expect(store.numItems).toBe(3);
    expect(store.numUsers).toBe(2);
    expect(store.numInteractions).toBe(5);
    expect(store.itemIndex.get("z")).toBe(3);
    expect(store.userIndex.get("a")).toBe(1);
  });

  it("orders each user's items by time, ties in input order", () => {
    // b: x@5, z@1, y@5 → z, x, y ; a: y@2, x@2 → y, x
    expect(Array.from(userItems(store, 0))).toEqual([3, 1, 2]);
    expect(Array.from(userItems(store, 1))).toEqual([2, 1]);
    expect(Array.from(store.offsets)).toEqual([0, 3, 5]);
    expect(Array.from(store.times!)).toEqual([1, 5, 5, 2, 2]);
  });

  it("counts items with a zero padding row", () => {
    expect(Array.from(store.itemCounts)).toEqual([0, 2, 2, 1]);
  });

  it("keeps text and attributes per item index", () => {
    expect(store.itemText).toEqual(["", "ex", "", "zed"]);
    expect(store.attributes!.attributeIds).toEqual(["j", "k"]);
    expect(Array.from(itemAttributeList(store, 1))).toEqual([0]);
    expect(Array.from(itemAttributeList(store, 2))).toEqual([1, 0]);
    expect(Array.from(itemAttributeList(store, 3))).toEqual([]);
    expect(Array.from(itemAttributeList(store, PAD_ITEM))).toEqual([]);
  });

  it("uses a given catalogue, including items nobody used, and rejects unknown items", () => {
    const fixed = buildInteractions({ users: ["u"], items: ["2"] }, { itemIds: ["1", "2", "3"] });
    expect(Array.from(userItems(fixed, 0))).toEqual([2]);
    expect(Array.from(fixed.itemCounts)).toEqual([0, 0, 1, 0]);
    expect(fixed.times).toBeUndefined();
    expect(() => buildInteractions({ users: ["u"], items: ["9"] }, { itemIds: ["1"] })).toThrow(/not in the catalogue/);
  });
});
