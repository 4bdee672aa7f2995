// The side-feature readers on tiny MovieLens-format files written here: u.user read into age,
// gender and occupation by raw user id (a missing file is no error until a tower needs it; a bad
// row names file, line and column), the per-user embedding rows of each feature (age in buckets,
// users u.user does not list on row 0), and each item's genre rows with the weights of their mean.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { DataError } from "../../../src/runtime/data/data-error.js";
import { readMovieLensUsers } from "../../../src/runtime/data/movielens-users.js";
import { readMovieLens } from "../../../src/runtime/data/read-movielens.js";
import { RunError } from "../../../src/runtime/errors/run-error.js";
import { ageBucket, ItemFeatureLists, UserFeatureRows } from "../../../src/runtime/features/side-features.js";
import { useCpuBackend } from "../../helpers/tf.js";

const flags = (...on: number[]) => Array.from({ length: 19 }, (_, g) => (on.includes(g) ? "1" : "0")).join("|");

/** A MovieLens folder: 3 items (genres Comedy+Drama, Action, none but `unknown`), users 7, 3 and 9. */
function movieLensDir(users: string | null): string {
  const dir = mkdtempSync(join(tmpdir(), "recspec-side-"));
  writeFileSync(
    join(dir, "u.item"),
    [
      `1|Funny Drama (1995)|01-Jan-1995||http://x|${flags(5, 8)}`,
      `2|Explosions (1996)|01-Jan-1996||http://x|${flags(1)}`,
      `3|Odd (1997)|01-Jan-1997||http://x|${flags(0)}`,
    ].join("\n") + "\n",
  );
  writeFileSync(join(dir, "u.data"), ["7\t1\t5\t100", "7\t2\t3\t200", "3\t2\t4\t150", "3\t3\t4\t160", "9\t1\t1\t170"].join("\n") + "\n");
  if (users !== null) writeFileSync(join(dir, "u.user"), users);
  return dir;
}

const SOURCE = { tower: "users", dataset: "ml", file: "ml/u.user" };

describe("u.user", () => {
  it("reads age, gender and occupation by raw user id", async () => {
    const dir = movieLensDir("3|17|F|student|12345\n7|56|M|retired|54321\n");
    const table = await readMovieLensUsers(join(dir, "u.user"));
    expect(table.file).toBe(join(dir, "u.user"));
    expect([...table.users!.entries()]).toEqual([
      ["3", { age: 17, gender: "F", occupation: "student" }],
      ["7", { age: 56, gender: "M", occupation: "retired" }],
    ]);
  });

  it("gives no users, not an error, when the file is not there", async () => {
    const dir = movieLensDir(null);
    expect(await readMovieLensUsers(join(dir, "u.user"))).toEqual({ file: join(dir, "u.user"), users: null });
    expect((await readMovieLens(dir)).userFeatures).toEqual({ file: join(dir, "u.user"), users: null });
  });

  it("names the line and column of a bad age", async () => {
    const dir = movieLensDir("3|17|F|student|12345\n7|old|M|retired|54321\n");
    const err = await readMovieLensUsers(join(dir, "u.user")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(String(err)).toBe(`${join(dir, "u.user")}:2:3: age must be a whole number of years, found 'old'`);
  });

  it("names the line of a row with the wrong number of fields", async () => {
    const dir = movieLensDir("3|17|F|student\n");
    const err = (await readMovieLensUsers(join(dir, "u.user")).catch((e: unknown) => e)) as DataError;
    expect(err.line).toBe(1);
    expect(err.message).toMatch(/expected 5 '\|'-separated fields/);
  });
});

describe("user feature rows", () => {
  it("puts ages in the 7 buckets at their edges", () => {
    expect([0, 17, 18, 24, 25, 34, 35, 44, 45, 49, 50, 55, 56, 90].map(ageBucket)).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]);
  });

  it("gives each user index its feature's row, row 0 for a user u.user does not list", async () => {
    // Users in order of first appearance in u.data: 7 (index 0), 3 (1), 9 (2, not in u.user).
    const store = await readMovieLens(movieLensDir("3|17|F|student|12345\n7|56|M|retired|54321\n"));
    expect(store.userIds).toEqual(["7", "3", "9"]);
    const age = new UserFeatureRows(store, "age", SOURCE);
    expect(age.size).toBe(8);
    // 56 → bucket 6 → row 7; 17 → bucket 0 → row 1.
    expect(Array.from(age.of([0, 1, 2, -1, 5]))).toEqual([7, 1, 0, 0, 0]);
    const gender = new UserFeatureRows(store, "gender", SOURCE);
    expect(gender.values).toEqual(["F", "M"]);
    expect(Array.from(gender.of([0, 1, 2]))).toEqual([2, 1, 0]);
    const occupation = new UserFeatureRows(store, "occupation", SOURCE);
    expect(occupation.values).toEqual(["retired", "student"]);
    expect(occupation.size).toBe(3);
    expect(Array.from(occupation.of([1, 0]))).toEqual([2, 1]);
  });

  it("names u.user, as a missing file, when a tower needs it and it is not there", async () => {
    const dir = movieLensDir(null);
    const store = await readMovieLens(dir);
    const err = (() => {
      try {
        new UserFeatureRows(store, "age", SOURCE);
      } catch (e) {
        return e;
      }
    })() as DataError;
    expect(err).toBeInstanceOf(DataError);
    expect(err.code).toBe("RS6002");
    expect(err.file).toBe(join(dir, "u.user"));
    expect(err.message).toMatch(/tower `users` reads user `age`/);
  });

  it("is a RunError for a data set without user side information", async () => {
    const store = { ...(await readMovieLens(movieLensDir(null))), userFeatures: undefined };
    expect(() => new UserFeatureRows(store, "gender", SOURCE)).toThrow(RunError);
  });
});

describe("item feature lists", () => {
  beforeAll(useCpuBackend);

  it("gives each item its genres' rows, padded, with the weights of their mean", async () => {
    const store = await readMovieLens(movieLensDir(null));
    const genres = new ItemFeatureLists(store, "genres", { tower: "items", dataset: "ml", file: "ml/u.item" });
    // 19 genres + the padding row; item 1 has the most genres (Comedy = 5, Drama = 8): width 2.
    expect(genres.size).toBe(20);
    expect(genres.width).toBe(2);
    const { rows, weights } = genres.of(tf.tensor1d([1, 2, 3, 0], "int32"));
    expect(rows.shape).toEqual([4, 2]);
    expect(Array.from(rows.dataSync())).toEqual([6, 9, 2, 0, 1, 0, 0, 0]);
    expect(Array.from(weights.dataSync())).toEqual([0.5, 0.5, 1, 0, 1, 0, 0, 0]);
    // The mean of item 1's genre embeddings through the weights: (e6 + e9) / 2.
    const table = tf.tensor2d(Array.from({ length: 20 }, (_, r) => [r, 10 * r]));
    const mean = tf.sum(tf.mul(tf.gather(table, rows), tf.expandDims(weights, 2)), 1);
    expect(Array.from(mean.dataSync())).toEqual([7.5, 75, 2, 20, 1, 10, 0, 0]);
  });
});
