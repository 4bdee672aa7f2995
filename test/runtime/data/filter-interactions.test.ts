// Rating threshold and iterative k-core filtering (filter-interactions.ts), on tables small enough
// to follow by hand: which interactions survive, the counts before and after, the number of passes.
import { describe, expect, it } from "vitest";
import { buildInteractions, userItems, type InteractionStore } from "../../../src/runtime/data/interactions.js";
import { describeFilter, filterInteractions } from "../../../src/runtime/data/filter-interactions.js";

/** Rows of (user, item[, rating]) in file order, no times. */
function storeOf(rows: [string, string, number?][]): InteractionStore {
  const rated = rows.every((r) => r[2] !== undefined);
  return buildInteractions({
    users: rows.map((r) => r[0]),
    items: rows.map((r) => r[1]),
    ...(rated ? { ratings: rows.map((r) => r[2]!) } : {}),
  });
}

/** Each user's raw item ids, in store order. */
function sequences(store: InteractionStore): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let u = 0; u < store.numUsers; u++) out[store.userIds[u]] = Array.from(userItems(store, u), (i) => store.itemIds[i]);
  return out;
}

const none = { minRating: null, minUserInteractions: 1, minItemInteractions: 1 };

describe("filterInteractions", () => {
  it("k-core needs several passes when dropping a user pushes an item under k, and that item a user", () => {
    // k = 2. Pass 1: u4 has 1 interaction → its c goes. Pass 2: c now has 1 (u3) → u3's c goes.
    // Pass 3: u3 now has 1 (b) → goes. Pass 4: u1, u2, a, b all have 2; nothing goes.
    const store = storeOf([
      ["u1", "a"],
      ["u1", "b"],
      ["u2", "a"],
      ["u2", "b"],
      ["u3", "b"],
      ["u3", "c"],
      ["u4", "c"],
    ]);
    const options = { minRating: null, minUserInteractions: 2, minItemInteractions: 2 };
    const { store: out, summary } = filterInteractions(store, options);
    expect(sequences(out)).toEqual({ u1: ["a", "b"], u2: ["a", "b"] });
    expect(summary.rounds).toBe(4);
    expect(summary.before).toEqual({ users: 4, items: 3, interactions: 7 });
    expect(summary.after).toEqual({ users: 2, items: 2, interactions: 4 });
    expect(out.itemIds).toEqual(["", "a", "b"]);
    expect(Array.from(out.itemCounts)).toEqual([0, 2, 2]);
    expect(describeFilter(summary, options)).toBe("k-core (users ≥ 2, items ≥ 2) in 4 passes: 4 → 2 users, 3 → 2 items, 7 → 4 interactions");
  });

  it("one pass of the same thresholds would have kept u3 (the loop is what removes it)", () => {
    // Only users: u4 goes, nobody else is under 2.
    const store = storeOf([
      ["u1", "a"],
      ["u1", "b"],
      ["u2", "a"],
      ["u2", "b"],
      ["u3", "b"],
      ["u3", "c"],
      ["u4", "c"],
    ]);
    const { store: out, summary } = filterInteractions(store, { minRating: null, minUserInteractions: 2, minItemInteractions: 1 });
    expect(sequences(out)).toEqual({ u1: ["a", "b"], u2: ["a", "b"], u3: ["b", "c"] });
    expect(summary.rounds).toBe(2);
  });

  it("min_rating drops the rows rated below it, then the k-core runs on what is left", () => {
    const store = storeOf([
      ["u1", "a", 5],
      ["u1", "b", 2],
      ["u1", "c", 4],
      ["u2", "a", 4],
      ["u2", "c", 3.5],
      ["u2", "b", 4],
    ]);
    const ratingOnly = filterInteractions(store, { ...none, minRating: 4 });
    expect(sequences(ratingOnly.store)).toEqual({ u1: ["a", "c"], u2: ["a", "b"] });
    expect(ratingOnly.summary.belowRating).toBe(2);
    expect(Array.from(ratingOnly.store.ratings!)).toEqual([5, 4, 4, 4]);
    expect(describeFilter(ratingOnly.summary, { ...none, minRating: 4 })).toBe(
      "min_rating 4 dropped 2 of 6 interactions: 2 → 2 users, 3 → 3 items, 6 → 4 interactions",
    );
    // With items ≥ 2 after the threshold, b and c (one each) go, and only a is left.
    const both = filterInteractions(store, { minRating: 4, minUserInteractions: 1, minItemInteractions: 2 });
    expect(sequences(both.store)).toEqual({ u1: ["a"], u2: ["a"] });
  });

  it("keeps time order, item metadata and the catalogue order of the items left", () => {
    const store = buildInteractions(
      { users: ["u1", "u1", "u2", "u2", "u3"], items: ["x", "y", "y", "x", "z"], times: [2, 1, 5, 6, 1] },
      {
        itemIds: ["z", "y", "x"],
        itemText: new Map([
          ["x", "X"],
          ["y", "Y"],
          ["z", "Z"],
        ]),
        attributes: new Map([
          ["x", ["red"]],
          ["y", ["blue", "red"]],
        ]),
      },
    );
    const { store: out } = filterInteractions(store, { minRating: null, minUserInteractions: 2, minItemInteractions: 1 });
    expect(out.itemIds).toEqual(["", "y", "x"]);
    expect(sequences(out)).toEqual({ u1: ["y", "x"], u2: ["y", "x"] });
    expect(Array.from(out.times!)).toEqual([1, 2, 5, 6]);
    expect(out.itemText).toEqual(["", "Y", "X"]);
    const attrs = (i: number) =>
      Array.from(out.attributes!.values.subarray(out.attributes!.offsets[i], out.attributes!.offsets[i + 1]), (a) => out.attributes!.attributeIds[a]);
    expect([attrs(1), attrs(2)]).toEqual([["blue", "red"], ["red"]]);
  });

  it("gives the same store back when nothing is dropped", () => {
    const store = storeOf([
      ["u1", "a"],
      ["u2", "a"],
    ]);
    const { store: out, summary } = filterInteractions(store, { minRating: null, minUserInteractions: 1, minItemInteractions: 2 });
    expect(out).toBe(store);
    expect(summary.rounds).toBe(1);
  });
});
