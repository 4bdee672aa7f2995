// Reader for MovieLens 100K (GroupLens). Takes the folder holding `u.data` (tab-separated
// `user item rating timestamp`) and `u.item` (pipe-separated: id, title, release date, video
// release date, URL, 19 genre flags; Latin-1 text); gives an InteractionStore with each user's
// items sorted by timestamp (ties keep file order), titles as item text and genres as attributes,
// the users' age, gender and occupation from `u.user` when it is there (movielens-users.ts),
// or a DataError naming file, line and column of the first bad row (with a window of it). Ratings
// are kept beside the interactions for a `min_rating` threshold; the store is implicit feedback. A u.item saved as UTF-8
// with a byte-order mark is read as UTF-8 (source-text.ts); timestamps are checked as timestamp.ts says.

import { join } from "node:path";
import { DataError } from "./data-error.js";
import { buildInteractions, type InteractionStore } from "./interactions.js";
import { readMovieLensUsers } from "./movielens-users.js";
import { quoted } from "./printable.js";
import { readSourceText, splitLines, withLines } from "./source-text.js";
import { timestampProblem } from "./timestamp.js";

/** The 19 genre flags of u.item, in column order (as listed in u.genre). */
export const MOVIELENS_GENRES: readonly string[] = [
  "unknown",
  "Action",
  "Adventure",
  "Animation",
  "Children's",
  "Comedy",
  "Crime",
  "Documentary",
  "Drama",
  "Fantasy",
  "Film-Noir",
  "Horror",
  "Musical",
  "Mystery",
  "Romance",
  "Sci-Fi",
  "Thriller",
  "War",
  "Western",
];

const ITEM_FIELDS = 5 + MOVIELENS_GENRES.length;
const INTEGER = /^-?[0-9]+$/;

export async function readMovieLens(dir: string): Promise<InteractionStore> {
  const itemPath = join(dir, "u.item");
  const dataPath = join(dir, "u.data");
  const itemText = await readSourceText(itemPath, "latin1");
  const movies = withLines(itemText, () => parseItems(itemPath, itemText));
  const dataText = await readSourceText(dataPath);
  const columns = withLines(dataText, () => parseRatings(dataPath, dataText, movies.titles));
  const itemIds = [...new Set(columns.items)].sort((a, b) => Number(a) - Number(b));
  const store = buildInteractions(columns, {
    itemIds,
    itemText: movies.titles,
    attributes: movies.genres,
    attributeIds: MOVIELENS_GENRES,
  });
  // u.user is optional: only user towers with `features` read it, and they say so when it is missing.
  return { ...store, userFeatures: await readMovieLensUsers(join(dir, "u.user")) };
}

/** Splits a line on a separator, giving each field with its 1-based column. */
function fieldsWithColumns(line: string, sep: string): { fields: string[]; columns: number[] } {
  const fields = line.split(sep);
  const columns: number[] = [];
  let col = 1;
  for (const f of fields) {
    columns.push(col);
    col += f.length + sep.length;
  }
  return { fields, columns };
}

function parseItems(file: string, text: string): { titles: Map<string, string>; genres: Map<string, string[]> } {
  const titles = new Map<string, string>();
  const genres = new Map<string, string[]>();
  const lines = splitLines(text);
  for (let k = 0; k < lines.length; k++) {
    if (lines[k].trim() === "") continue;
    const { fields, columns } = fieldsWithColumns(lines[k], "|");
    if (fields.length !== ITEM_FIELDS) {
      throw new DataError(file, k + 1, `expected ${ITEM_FIELDS} '|'-separated fields, found ${fields.length}`);
    }
    const id = fields[0].trim();
    if (id === "") throw new DataError(file, k + 1, "empty item id", 1);
    if (titles.has(id)) throw new DataError(file, k + 1, `item ${quoted(id)} is listed twice`, 1);
    const list: string[] = [];
    for (let g = 0; g < MOVIELENS_GENRES.length; g++) {
      const flag = fields[5 + g].trim();
      if (flag !== "0" && flag !== "1") {
        throw new DataError(file, k + 1, `genre flag '${MOVIELENS_GENRES[g]}' must be 0 or 1, found ${quoted(flag)}`, columns[5 + g]);
      }
      if (flag === "1") list.push(MOVIELENS_GENRES[g]);
    }
    titles.set(id, fields[1].trim());
    genres.set(id, list);
  }
  return { titles, genres };
}

function parseRatings(
  file: string,
  text: string,
  known: ReadonlyMap<string, string>,
): { users: string[]; items: string[]; times: Float64Array; ratings: Float64Array } {
  const users: string[] = [];
  const ratings: number[] = [];
  const items: string[] = [];
  const times: number[] = [];
  const lines = splitLines(text);
  for (let k = 0; k < lines.length; k++) {
    if (lines[k].trim() === "") continue;
    const { fields, columns } = fieldsWithColumns(lines[k], "\t");
    if (fields.length !== 4) {
      throw new DataError(file, k + 1, `expected 4 tab-separated columns (user item rating timestamp), found ${fields.length}`);
    }
    const [user, item, rating, time] = fields.map((f) => f.trim());
    if (user === "") throw new DataError(file, k + 1, "empty user id", columns[0]);
    if (item === "") throw new DataError(file, k + 1, "empty item id", columns[1]);
    if (!known.has(item)) throw new DataError(file, k + 1, `item ${quoted(item)} is not listed in u.item`, columns[1]);
    if (rating === "" || !Number.isFinite(Number(rating))) {
      throw new DataError(file, k + 1, `rating must be a number, found ${quoted(rating)}`, columns[2]);
    }
    if (!INTEGER.test(time)) throw new DataError(file, k + 1, `timestamp must be an integer, found ${quoted(time)}`, columns[3]);
    const problem = timestampProblem(Number(time));
    if (problem !== null) throw new DataError(file, k + 1, `timestamp ${problem}, found ${quoted(time)}`, columns[3]);
    users.push(user);
    items.push(item);
    times.push(Number(time));
    ratings.push(Number(rating));
  }
  return { users, items, times: Float64Array.from(times), ratings: Float64Array.from(ratings) };
}
