// The everyday data options through the CLI (issue "Everyday use"): interactions without a time
// column (file order, with a warning), a `min_rating` threshold, iterative `k_core` filtering, and
// the `ratio` and `random` splits, each run in process on a tiny CSV or JSON Lines file in a
// temporary folder; plus the check errors for `min_rating` on data without ratings and for a
// ranking model on a split with several targets per user. Programs go under .cache/.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import type { CommandIO } from "../../src/cli/io.js";

const PROGRAMS = resolve(".cache/recspec/test-data-options");
const written: string[] = [];
afterAll(() => {
  for (const dir of written) rmSync(dir, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "recspec-data-options-"));
  written.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

async function cli(dir: string, args: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CommandIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false, cwd: dir };
  const status = await main(args, io);
  return { status, stdout, stderr, all: stdout + stderr };
}

async function run(dir: string, spec: string) {
  mkdirSync(PROGRAMS, { recursive: true });
  const out = mkdtempSync(join(PROGRAMS, "program-"));
  written.push(out);
  return cli(dir, ["run", join(dir, spec), "--out", out, "--runs", join(dir, "runs"), "--backend", "cpu"]);
}

interface ResultRow {
  metric: string;
  n: number;
  baseline: { value: number } | null;
}

/** The evaluation rows a run wrote to its results.json. */
function results(dir: string, spec: string): ResultRow[] {
  const runs = join(dir, "runs", spec);
  const [stamp] = readdirSync(runs).filter((n) => /^\d{4}-/.test(n));
  const json = JSON.parse(readFileSync(join(runs, stamp, "results.json"), "utf8")) as { rows: ResultRow[] }[];
  return json.flatMap((e) => e.rows);
}

// No time column; rows interleave users. Rated below 4: u1·x, u3·b, u2·e. u4 has one item (z).
const RATED =
  [
    "user,item,rating",
    "u1,a,5",
    "u2,a,4",
    "u1,b,4",
    "u1,x,1",
    "u2,b,5",
    "u1,c,4",
    "u2,c,4",
    "u3,a,5",
    "u3,b,2",
    "u3,c,4",
    "u1,d,5",
    "u2,d,5",
    "u3,d,4",
    "u4,z,5",
    "u2,e,3",
  ].join("\n") + "\n";

const model = (dataset: string) => `model seq = sequential(${dataset}) {\n  embedding = 8\n  train { epochs = 1 }\n}\n`;

describe("data options, from the CLI", () => {
  it("file order without a time column, min_rating, k_core and a ratio split: logged counts, several targets per user", async () => {
    const spec = [
      "spec rated",
      'dataset events = interactions("events.csv") {',
      "  min_rating  = 4",
      "  k_core      = 2",
      "  split       = ratio",
      "  valid_share = 0.25",
      "  test_share  = 0.5",
      "}",
      model("events"),
      "evaluate seq on events.test { metrics = [recall@1, recall@2] }",
    ].join("\n");
    const dir = folder({ "events.csv": RATED, "rated.recspec": spec });
    const r = await run(dir, "rated.recspec");
    expect(r.status, r.all).toBe(0);
    expect(r.all).toMatch(/warning: .*events\.csv: no 'timestamp' column, so each user's interactions are taken in file order/);
    // 3 of 15 rows are rated below 4; then u4 (one item) and z go in the first pass, the second removes nothing.
    expect(r.all).toContain(
      "data events: min_rating 4 dropped 3 of 15 interactions; k-core (users ≥ 2, items ≥ 2) in 2 passes: 4 → 3 users, 7 → 4 items, 15 → 11 interactions",
    );
    // u1, u2 (a b c d): 1 train, 1 validation, 2 test items; u3 (a c d): one of each.
    expect(r.all).toMatch(/data events: 3 users, 4 items, 11 interactions; 3 train \/ 3 validation \/ 3 test users/);
    // Popularity (history excluded): u1 and u2 have c and d left, both test targets, so recall@1 is 1/2
    // and recall@2 is 1; u3 has b and d left (all counts tie, the lower id b first): recall@1 0, @2 1.
    const rows = results(dir, "rated");
    expect(rows.map((row) => row.n)).toEqual([3, 3]);
    expect(rows[0].baseline!.value).toBeCloseTo((0.5 + 0.5 + 0) / 3, 12);
    expect(rows[1].baseline!.value).toBe(1);
  }, 120_000);

  it("a random split of JSON Lines with a named time column runs, seeded by split_seed", async () => {
    const rows: string[] = [];
    for (let u = 1; u <= 4; u++) for (let t = 1; t <= 10; t++) rows.push(JSON.stringify({ u: `u${u}`, i: `i${(u * 3 + t) % 12}`, ts: t * 100 + u }));
    const spec = [
      "spec random",
      'dataset events = interactions("events.jsonl") {',
      '  user = "u"',
      '  item = "i"',
      '  time = "ts"',
      "  split      = random",
      "  split_seed = 5",
      "  test_share = 0.2",
      "}",
      model("events"),
      "evaluate seq on events.test { metrics = [recall@5] }",
    ].join("\n");
    const dir = folder({ "events.jsonl": rows.join("\n") + "\n", "random.recspec": spec });
    const r = await run(dir, "random.recspec");
    expect(r.status, r.all).toBe(0);
    expect(r.all).not.toMatch(/file order/);
    // 10 items a user: 2 test, 1 validation, 7 training.
    expect(r.all).toMatch(/data events: 4 users, 12 items, 40 interactions; 4 train \/ 4 validation \/ 4 test users/);
    expect(results(dir, "random")[0].n).toBe(4);
  }, 120_000);

  it("filters that leave nothing: RS6020 naming the attribute, no stack", async () => {
    const spec = 'spec none\ndataset events = interactions("events.csv") {\n  min_rating = 6\n}\n' + model("events");
    const dir = folder({ "events.csv": RATED, "none.recspec": spec });
    const r = await run(dir, "none.recspec");
    expect(r.status, r.all).toBe(1);
    expect(r.stderr).toMatch(/error\[RS6020\]: dataset `events`: `min_rating` leaves none of its 15 interactions/);
    expect(r.stderr).toMatch(/= help: lower `events\.min_rating`/);
    expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  }, 120_000);

  it("check: min_rating on amazon sequences is RS5005 at the attribute", async () => {
    const dir = folder({
      "data/Beauty.txt": "u1 1 2 3\n",
      "data/Beauty_item2attributes.json": "{}\n",
      "beauty.recspec": 'spec beauty\ndataset beauty = amazon("data") {\n  min_rating = 4\n}\n' + model("beauty"),
    });
    const r = await cli(dir, ["check", join(dir, "beauty.recspec")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error\[RS5005\]: `beauty` is an `amazon` data set, which has no ratings for `min_rating` to threshold/);
    expect(r.stderr).toMatch(/beauty\.recspec:3:16/);
  });

  it("check: a ranking model on a ratio split is RS5006, pointing at the split", async () => {
    const spec = 'spec rank\ndataset events = interactions("events.csv") {\n  split = ratio\n}\nmodel r = ranking(events)\n';
    const dir = folder({ "events.csv": RATED, "rank.recspec": spec });
    const r = await cli(dir, ["check", join(dir, "rank.recspec")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error\[RS5006\]: a `ranking` model cannot be evaluated on `events`: its `split = ratio` holds out several items per user/);
    expect(r.stderr).toMatch(/`events` is split here/);
    expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });
});
