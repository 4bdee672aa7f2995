// Reader of MovieLens 100K's user file `u.user` (pipe-separated: user id, age, gender, occupation,
// zip code; one user a line). Takes its path; gives a UserFeatureTable (age, gender and occupation
// by raw user id, the file named for later messages), one whose `users` is null when the file is
// not there (only towers that list user `features` need it, and they say so), or a DataError
// naming file, line and column of the first bad row. Zip codes are read past, not kept.
import { access } from "node:fs/promises";
import { DataError } from "./data-error.js";
import { quoted } from "./printable.js";
import { readSourceText, splitLines, withLines } from "./source-text.js";

/** One user's side information. */
export interface UserFeatureRow {
  /** Age in years. */
  readonly age: number;
  readonly gender: string;
  readonly occupation: string;
}

/** The user side information of a data set, by raw user id. */
export interface UserFeatureTable {
  /** The file it is read from (or was looked for). */
  readonly file: string;
  /** Each listed user's features; null when the file is not there. */
  readonly users: ReadonlyMap<string, UserFeatureRow> | null;
}

const AGE = /^[0-9]{1,3}$/;

/** Reads `u.user` at `path`; a file that is not there gives `users: null`, a bad row a DataError. */
export async function readMovieLensUsers(path: string): Promise<UserFeatureTable> {
  try {
    await access(path);
  } catch {
    return { file: path, users: null };
  }
  const text = await readSourceText(path, "latin1");
  return { file: path, users: withLines(text, () => parseUsers(path, text)) };
}

function parseUsers(file: string, text: string): Map<string, UserFeatureRow> {
  const users = new Map<string, UserFeatureRow>();
  const lines = splitLines(text);
  for (let k = 0; k < lines.length; k++) {
    if (lines[k].trim() === "") continue;
    const fields = lines[k].split("|");
    // 1-based column of field f: its offset in the line plus one.
    const column = (f: number) => fields.slice(0, f).reduce((at, x) => at + x.length + 1, 1);
    if (fields.length !== 5) throw new DataError(file, k + 1, `expected 5 '|'-separated fields (user|age|gender|occupation|zip), found ${fields.length}`);
    const [id, age, gender, occupation] = fields.map((f) => f.trim());
    if (id === "") throw new DataError(file, k + 1, "empty user id", 1);
    if (users.has(id)) throw new DataError(file, k + 1, `user ${quoted(id)} is listed twice`, 1);
    if (!AGE.test(age)) throw new DataError(file, k + 1, `age must be a whole number of years, found ${quoted(age)}`, column(1));
    if (gender === "") throw new DataError(file, k + 1, "empty gender", column(2));
    if (occupation === "") throw new DataError(file, k + 1, "empty occupation", column(3));
    users.set(id, { age: Number(age), gender, occupation });
  }
  return users;
}
