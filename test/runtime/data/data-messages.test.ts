// What the readers say about awkward files (issue #17): a window of a huge line, never the line;
// old-Mac CR line endings read as lines; a UTF-8 BOM on MovieLens u.item; inherited keys in JSON
// rows; absurd timestamps; duplicate CSV columns and JSON keys as warnings; control characters in
// ids and paths escaped; an oversized file refused before it is read. Files go to a temp folder.
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DataError } from "../../../src/runtime/data/data-error.js";
import { userItems } from "../../../src/runtime/data/interactions.js";
import { readAmazon } from "../../../src/runtime/data/read-amazon.js";
import { readInteractionsCsv } from "../../../src/runtime/data/read-csv.js";
import { readInteractionsJsonl } from "../../../src/runtime/data/read-jsonl.js";
import { readMovieLens } from "../../../src/runtime/data/read-movielens.js";
import { readSourceText } from "../../../src/runtime/data/source-text.js";
import { MAX_TIMESTAMP } from "../../../src/runtime/data/timestamp.js";
import { renderRunError } from "../../../src/runtime/errors/render-run-error.js";
import { RunError } from "../../../src/runtime/errors/run-error.js";

const dir = mkdtempSync(join(tmpdir(), "recspec-data-messages-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(name: string, content: string | Buffer): string {
  const sub = join(dir, String(n++));
  const path = join(sub, name);
  mkdirSync(sub, { recursive: true });
  writeFileSync(path, content);
  return path;
}

async function caught(promise: Promise<unknown>): Promise<DataError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(DataError);
    return err as DataError;
  }
  throw new Error("expected a DataError");
}

const names = { user: "user", item: "item", time: "time" };

describe("a 30 MB line", () => {
  it("CSV: the message and the rendering hold an 80-character window, not the line", async () => {
    const huge = "x".repeat(30_000_000);
    const path = file("wide.csv", `user,item,time\nu1,i1,1\nu1,${huge},2,extra\n`);
    const err = await caught(readInteractionsCsv(path, names));
    expect(err.line).toBe(3);
    expect(err.message).toBe("expected 3 columns, found 4");
    expect(err.excerpt!.text).toBe(`u1,${"x".repeat(77)}…`);
    const text = renderRunError(err);
    expect(text.length).toBeLessThan(500 + path.length);
    expect(text).toContain(` 3 | u1,${"x".repeat(77)}…\n`);
  });

  it("JSONL: a bad value deep in a long line is quoted short and the window surrounds its column", async () => {
    const pad = "p".repeat(1_000_000);
    const path = file("wide.jsonl", `{"user":"u1","item":"i1","time":1}\n{"pad":"${pad}","user":"u1","item":"i2","time":"${"9".repeat(500)}z"}\n`);
    const err = await caught(readInteractionsJsonl(path, names));
    expect(err.line).toBe(2);
    // {"pad":" (8) + 10⁶ p's + ","user":"u1","item":"i2","time": (33): the value's quote is character 1_000_042.
    expect(err.column).toBe(1_000_042);
    expect(err.message).toBe(`timestamp in 'time' must be a number, found '${"9".repeat(60)}…'`);
    expect(err.excerpt!.text.length).toBe(82);
    expect(err.excerpt!.text.slice(err.excerpt!.caret - 1, err.excerpt!.caret + 3)).toBe('"999');
  });

  it("Amazon: an id of a million characters is cut to 60 in the message", async () => {
    const path = file("Big.txt", `u1 1 2 3\nu2 1 ${"q".repeat(1_000_000)}\n`);
    const err = await caught(readAmazon(join(path, ".."), "Big"));
    expect(err.message).toBe(`expected a positive integer item id, found '${"q".repeat(60)}…'`);
    expect([err.line, err.column]).toEqual([2, 6]);
    expect(err.excerpt!.text).toBe(`u2 1 ${"q".repeat(75)}…`);
  });
});

describe("line endings and byte-order marks", () => {
  it("reads a CSV with CR-only (old Mac) line endings as lines, and counts lines the same", async () => {
    const good = await readInteractionsCsv(file("mac.csv", "user,item,time\ru1,i1,2\ru1,i2,1\ru2,i1,5\r"), names);
    expect(good.userIds).toEqual(["u1", "u2"]);
    expect(Array.from(userItems(good, 0))).toEqual([2, 1]);
    const err = await caught(readInteractionsCsv(file("mac-bad.csv", "user,item,time\ru1,i1,2\ru1,i2,soon\r"), names));
    expect([err.line, err.column, err.message]).toEqual([3, 7, "timestamp in 'time' must be a number, found 'soon'"]);
  });

  it("keeps a lone CR inside a quoted field of an LF file", async () => {
    const s = await readSourceText(file("lf.csv", 'user,item\nu1,"a\rb"\n'));
    expect(s).toBe('user,item\nu1,"a\rb"\n');
    expect(await readSourceText(file("cr-first.csv", 'user,item\r"a\rb",c\n'))).toBe('user,item\r"a\rb",c\n');
  });

  it("reads a MovieLens u.item saved as UTF-8 with a BOM: clean first id, titles decoded as UTF-8", async () => {
    const flags = "|0".repeat(19);
    const item = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(`1|Les Misérables (1995)|01-Jan-1995||url${flags}\n2|Amélie|01-Jan-2001||url${flags}\n`, "utf8"),
    ]);
    const path = file("u.item", item);
    writeFileSync(join(path, "..", "u.data"), "1\t1\t5\t100\n1\t2\t4\t200\n");
    const s = await readMovieLens(join(path, ".."));
    expect(s.itemIds).toEqual(["", "1", "2"]);
    expect(s.itemText).toEqual(["", "Les Misérables (1995)", "Amélie"]);
  });

  it("reads a u.item that is Latin-1 after a stray BOM as Latin-1", async () => {
    const flags = "|0".repeat(19);
    const item = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`1|Amélie|01-Jan-2001||url${flags}\n`, "latin1")]);
    const path = file("u.item", item);
    writeFileSync(join(path, "..", "u.data"), "1\t1\t5\t100\n");
    const s = await readMovieLens(join(path, ".."));
    expect(s.itemIds).toEqual(["", "1"]);
    expect(s.itemText).toEqual(["", "Amélie"]);
  });
});

describe("JSON rows", () => {
  it("does not take inherited names (constructor, toString, __proto__) for present keys", async () => {
    const path = file("proto.jsonl", '{"user":"u1","item":"i1"}\n');
    for (const key of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      const err = await caught(readInteractionsJsonl(path, { user: key, item: "item" }));
      expect([err.line, err.message]).toEqual([1, `missing key '${key}'`]);
    }
  });

  it("reads a row's own key named __proto__ or constructor", async () => {
    const s = await readInteractionsJsonl(file("own.jsonl", '{"__proto__":"u1","constructor":"i1"}\n{"__proto__":"u1","constructor":"i2"}\n'), {
      user: "__proto__",
      item: "constructor",
    });
    expect(s.userIds).toEqual(["u1"]);
    expect(s.itemIds).toEqual(["", "i1", "i2"]);
  });

  it("warns of a key given twice (file:line:col of the second), reading the last value", async () => {
    const path = file("dup.jsonl", '{"user":"u1","item":"i1","time":1}\n{"user":"u1","item":"i9", "item":"i2","time":2}\n');
    const s = await readInteractionsJsonl(path, names);
    expect(s.itemIds).toEqual(["", "i1", "i2"]);
    expect(s.warnings).toEqual([`${path}:2:27: key 'item' appears twice in the object; the last value is read`]);
  });

  it("does not warn when the key's name only appears as a value", async () => {
    const s = await readInteractionsJsonl(file("val.jsonl", '{"user":"item","item":"user","time":1}\n'), names);
    expect(s.warnings).toBeUndefined();
  });
});

describe("Amazon attributes", () => {
  it("warns of an item listed twice (file:line:col of the second), reading the last list", async () => {
    const seq = file("Dup.txt", "u1 1 2\nu2 2 1\n");
    const attrs = join(seq, "..", "Dup_item2attributes.json");
    writeFileSync(attrs, '{"1": [7],\n "2": [8],\n "1": [9]}\n');
    const s = await readAmazon(join(seq, ".."), "Dup");
    expect(s.attributes!.attributeIds).toEqual(["8", "9"]);
    expect(s.warnings).toEqual([`${attrs}:3:2: item '1' is listed again in the attributes; the last list is read`]);
  });
});

describe("CSV header", () => {
  it("warns of a duplicate column with file:line:col and reads the first", async () => {
    const path = file("dup.csv", "user,item,time,item\nu1,i1,1,z1\nu1,i2,2,z2\n");
    const s = await readInteractionsCsv(path, names);
    expect(s.itemIds).toEqual(["", "i1", "i2"]);
    expect(s.warnings).toEqual([`${path}:1:16: column 'item' appears again in the header (first as column 2); the first is read`]);
  });
});

describe("timestamps", () => {
  const cases: [string, string, number, string][] = [
    ["-5", "is negative (before 1970)", 7, "negative"],
    ["1e400", "is not a finite number", 7, "infinite"],
    [
      String(MAX_TIMESTAMP),
      `is beyond the year 3000 even as milliseconds (at most ${MAX_TIMESTAMP - 1}; seconds or milliseconds since 1970 are expected)`,
      7,
      "year 3000",
    ],
    [
      "1733500000000000",
      `is beyond the year 3000 even as milliseconds (at most ${MAX_TIMESTAMP - 1}; seconds or milliseconds since 1970 are expected)`,
      7,
      "microseconds",
    ],
  ];
  for (const [value, problem, column, label] of cases) {
    it(`refuses a ${label} timestamp with file:line:col`, async () => {
      const path = file("t.csv", `user,item,time\nu1,i1,1\nu1,i2,${value}\n`);
      const err = await caught(readInteractionsCsv(path, names));
      expect([err.line, err.column, err.message]).toEqual([3, column, `timestamp in 'time' ${problem}, found '${value}'`]);
    });
  }

  it("accepts seconds, milliseconds and sequence numbers", async () => {
    const s = await readInteractionsCsv(file("ok.csv", `user,item,time\nu1,i1,1733500000000\nu1,i2,1733500000\nu1,i3,0\nu1,i4,${MAX_TIMESTAMP - 1}\n`), names);
    expect(Array.from(s.times!)).toEqual([0, 1733500000, 1733500000000, MAX_TIMESTAMP - 1]);
  });

  it("refuses a negative MovieLens timestamp in u.data", async () => {
    const path = file("u.item", `1|A|x||u${"|0".repeat(19)}\n`);
    writeFileSync(join(path, "..", "u.data"), "1\t1\t5\t100\n2\t1\t3\t-1\n");
    const err = await caught(readMovieLens(join(path, "..")));
    expect([err.file, err.line, err.column, err.message]).toEqual([join(path, "..", "u.data"), 2, 7, "timestamp is negative (before 1970), found '-1'"]);
  });
});

describe("control characters", () => {
  it("escapes them in ids, and in the path of the rendered error", async () => {
    const path = file("ctl\u001b[2J.csv", 'user,item,time\n"u\u001b[31m",,1\n');
    const err = await caught(readInteractionsCsv(path, names));
    expect(err.message).toBe("empty id in 'item'");
    const text = renderRunError(err);
    expect(text).not.toContain("\u001b");
    expect(text).toContain("ctl\\u{1b}[2J.csv:2:");
    expect(text).toContain('"u\\u{1b}[31m",,1');
    const id = await caught(readAmazon(join(file("C.txt", "u\u0007x\n"), ".."), "C"));
    expect(id.message).toBe("user 'u\\u{7}x' has no items (expected 'user item item …')");
  });
});

describe("a file too large to read", () => {
  it("is refused from its size (RS6021), before any of it is read", async () => {
    const path = join(dir, "huge.csv");
    const fd = openSync(path, "w");
    ftruncateSync(fd, 3 * 2 ** 30); // sparse: takes no disk
    closeSync(fd);
    const err = await readSourceText(path).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RunError);
    expect((err as RunError).code).toBe("RS6021");
    expect((err as RunError).message).toMatch(/^3\.2 GB of data \(longer than the 537 MB a file can be read as text\) needs about/);
    expect((err as RunError).context.file).toBe(path);
    rmSync(path);
  });
});
