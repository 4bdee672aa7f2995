// The CSV and JSON Lines readers without a time column (file order) and with a rating column: which
// order each user's items take, the warning that says so, ratings kept beside the items (MovieLens
// too), and the error for a non-numeric rating. Small files in a temporary folder.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readInteractionsCsv } from "../../../src/runtime/data/read-csv.js";
import { readInteractionsJsonl } from "../../../src/runtime/data/read-jsonl.js";
import { userItems, type InteractionStore } from "../../../src/runtime/data/interactions.js";
import { DataError } from "../../../src/runtime/data/data-error.js";
import { readMovieLens } from "../../../src/runtime/data/read-movielens.js";
import { filterInteractions } from "../../../src/runtime/data/filter-interactions.js";
import { fixture } from "./fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "recspec-optional-columns-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const sequences = (s: InteractionStore) => Array.from({ length: s.numUsers }, (_, u) => Array.from(userItems(s, u), (i) => s.itemIds[i]));

// Interleaved users, items deliberately not in id order.
const NO_TIME_CSV = "user,item,rating\nu1,c,5\nu2,a,3\nu1,a,4\nu1,b,1\nu2,c,4\n";
const optional = { user: "user", item: "item", time: "timestamp", optionalTime: true } as const;

describe("no time column", () => {
  it("CSV: each user's items in file order, with a warning naming the file and the column", async () => {
    const path = file("no-time.csv", NO_TIME_CSV);
    const store = await readInteractionsCsv(path, optional);
    expect(sequences(store)).toEqual([
      ["c", "a", "b"],
      ["a", "c"],
    ]);
    expect(store.times).toBeUndefined();
    expect(store.warnings).toEqual([expect.stringMatching(/no-time\.csv: no 'timestamp' column, so each user's interactions are taken in file order/)]);
  });

  it("CSV: without a time name at all, file order and no warning", async () => {
    const store = await readInteractionsCsv(file("no-time-2.csv", NO_TIME_CSV), { user: "user", item: "item" });
    expect(sequences(store)[0]).toEqual(["c", "a", "b"]);
    expect(store.warnings).toBeUndefined();
  });

  it("CSV: an optional time column that is there is read and sorted by", async () => {
    const store = await readInteractionsCsv(file("with-time.csv", "user,item,timestamp\nu1,c,3\nu1,a,1\nu1,b,2\n"), optional);
    expect(sequences(store)).toEqual([["a", "b", "c"]]);
  });

  it("CSV: a time column the spec named is required", async () => {
    await expect(readInteractionsCsv(file("named.csv", NO_TIME_CSV), { user: "user", item: "item", time: "ts" })).rejects.toThrow(/no column named 'ts'/);
  });

  it("JSONL: the first object decides; file order and the warning without the key", async () => {
    const path = file("no-time.jsonl", ['{"user":"u1","item":"z"}', '{"user":"u1","item":"y"}', '{"user":"u2","item":"z"}'].join("\n"));
    const store = await readInteractionsJsonl(path, optional);
    expect(sequences(store)).toEqual([["z", "y"], ["z"]]);
    expect(store.warnings?.[0]).toMatch(/no-time\.jsonl: no 'timestamp' column/);
    const timed = file("timed.jsonl", ['{"user":"u1","item":"z","timestamp":2}', '{"user":"u1","item":"y","timestamp":1}'].join("\n"));
    expect(sequences(await readInteractionsJsonl(timed, optional))).toEqual([["y", "z"]]);
  });
});

describe("rating column", () => {
  it("keeps each rating beside its item, in the store's order", async () => {
    const store = await readInteractionsCsv(file("rated.csv", NO_TIME_CSV), { user: "user", item: "item", rating: "rating" });
    expect(Array.from(store.ratings!)).toEqual([5, 4, 1, 3, 4]);
    const jsonl = file("rated.jsonl", ['{"user":"u1","item":"z","stars":"4.5"}', '{"user":"u1","item":"y","stars":2}'].join("\n"));
    expect(Array.from((await readInteractionsJsonl(jsonl, { user: "user", item: "item", rating: "stars" })).ratings!)).toEqual([4.5, 2]);
  });

  it("a rating that is not a number is a DataError at its line and column", async () => {
    const path = file("bad-rating.csv", "user,item,rating\nu1,a,4\nu1,b,good\n");
    const err = await readInteractionsCsv(path, { user: "user", item: "item", rating: "rating" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).line).toBe(3);
    expect((err as DataError).column).toBe(6);
    expect((err as DataError).message).toMatch(/rating in 'rating' must be a number, found 'good'/);
  });
});

describe("MovieLens ratings", () => {
  it("are kept beside the items (time order), so min_rating can threshold them", async () => {
    const store = await readMovieLens(fixture("ml-good"));
    // User 1: items 1 (t 100, rating 4), 3 (t 100, rating 2), 2 (t 300, rating 5).
    const u1 = store.userIndex.get("1")!;
    const at = (u: number) => Array.from({ length: store.offsets[u + 1] - store.offsets[u] }, (_, k) => store.offsets[u] + k);
    expect(at(u1).map((p) => [store.itemIds[store.items[p]], store.ratings![p]])).toEqual([
      ["1", 4],
      ["3", 2],
      ["2", 5],
    ]);
    const { summary } = filterInteractions(store, { minRating: 4, minUserInteractions: 1, minItemInteractions: 1 });
    expect(summary.belowRating).toBe(3);
  });
});
