// Data mistakes met at run time (issue #17), through the CLI in process: each is a diagnostic with
// an RS6xxx code naming the dataset or model attribute to change, exits 1 and shows no stack; an
// empty validation/test split is a warning in the log and the report, and the run goes on. Tiny
// specs over small files in a temporary folder; programs go under the checkout's .cache/ (where
// "recspec/runtime" resolves to this package).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import type { CommandIO } from "../../src/cli/io.js";

const PROGRAMS = resolve(".cache/recspec/test-data-errors");
const written: string[] = [];
afterAll(() => {
  for (const dir of written) rmSync(dir, { recursive: true, force: true });
});

/** A temp folder holding `files` (name → content; names may have a folder part). */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "recspec-data-errors-"));
  written.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** `recspec run SPEC` with the working folder `dir`, the program under .cache and runs in dir/runs. */
async function run(dir: string, spec: string, ...args: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CommandIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false, cwd: dir };
  mkdirSync(PROGRAMS, { recursive: true });
  const out = mkdtempSync(join(PROGRAMS, "program-"));
  written.push(out);
  const status = await main(["run", join(dir, spec), "--out", out, "--runs", join(dir, "runs"), "--backend", "cpu", ...args], io);
  return { status, stdout, stderr };
}

function expectNoStack(text: string) {
  expect(text).not.toMatch(/internal error/);
  expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

/** Three users with two interactions each: enough to train on, too few to validate or test. */
const SHORT_USERS = "user,item,timestamp\nu1,i1,1\nu1,i2,2\nu2,i1,1\nu2,i3,2\nu3,i2,1\nu3,i3,3\n";

const spec = (name: string, dataset: string, train = "epochs = 1") =>
  `spec ${name}\ndataset events = ${dataset}\nmodel seq = sequential(events) {\n  embedding = 8\n  train { ${train} }\n}\nevaluate seq on events.test { metrics = [hr@2] }\n`;

describe("data mistakes at run time, from the CLI", () => {
  it("min_length dropping every user: RS6020 with the count, naming `events.min_length`", async () => {
    const dir = folder({ "events.csv": SHORT_USERS, "all.recspec": spec("all", 'interactions("events.csv") { min_length = 5 }') });
    const r = await run(dir, "all.recspec");
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^error\[RS6020\]: dataset `events`: min_length = 5 drops all 3 users \(the longest has 2 interactions\); nothing to train on$/m);
    expect(r.stderr).toMatch(/^ {3}= help: lower `events\.min_length` to 2 or less$/m);
    expectNoStack(r.stderr);
  });

  it("early_stop without validation users: RS6020 naming the model's early_stop and why", async () => {
    const dir = folder({
      "events.csv": SHORT_USERS,
      "es.recspec": spec("es", 'interactions("events.csv") { min_length = 1 }', "epochs = 2\n    early_stop = loss"),
    });
    const r = await run(dir, "es.recspec");
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(
      /^error\[RS6020\]: model `seq`: early_stop needs validation examples, and dataset `events` gives none: all of the 3 users kept have fewer than 3 interactions/m,
    );
    expect(r.stderr).toMatch(/= help: remove `seq\.train\.early_stop`/);
    expectNoStack(r.stderr);
  });

  it("a model with no training example (two-tower, single-interaction users): RS6020 naming the model", async () => {
    const tt = [
      "spec tt",
      'dataset events = interactions("events.csv") { min_length = 1 }',
      "tower items = item_tower(events) { embedding = 8 }",
      "tower users = sequence_encoder(events) {\n  embedding = 8\n  encoder = transformer(layers: 1, heads: 2, d_ff: 16, causal: true)\n}",
      "model retrieval = two_tower(users, items) {\n  train { epochs = 1 }\n}",
      "evaluate retrieval on events.test { metrics = [recall@2] }",
    ].join("\n");
    const dir = folder({ "events.csv": "user,item,timestamp\nu1,i1,1\nu2,i2,1\nu3,i3,1\n", "tt.recspec": `${tt}\n` });
    const r = await run(dir, "tt.recspec");
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(
      /^error\[RS6020\]: model `retrieval` has no training examples in dataset `events` \(3 users kept, the longest with 1 interaction\): each needs a history of at least one item before its target$/m,
    );
    expect(r.stderr).toMatch(/= help: use data whose users have at least 2 interactions \(and `events\.min_length` ≥ 2 to drop the others\)$/m);
    expectNoStack(r.stderr);
  });

  it("validation and test splits empty: a warning in the log and in the report; the run finishes", async () => {
    const dir = folder({ "events.csv": SHORT_USERS, "short.recspec": spec("short", 'interactions("events.csv") { min_length = 1 }') });
    const r = await run(dir, "short.recspec");
    expect(r.status, r.stderr).toBe(0);
    const warning = "dataset `events`: no validation and no test examples: all of the 3 users kept have fewer than 3 interactions";
    expect(r.stderr).toContain(`warning: ${warning}`);
    const runs = readdirSync(join(dir, "runs", "short"));
    expect(runs).toHaveLength(1);
    // The report's notes list it (escapeHtml leaves backticks as they are).
    expect(readFileSync(join(dir, "runs", "short", runs[0], "report.html"), "utf8")).toContain(`<li>warning: ${warning}`);
  });

  it("a 30 MB line: the diagnostic shows an 80-character window of it with a caret, never the line", async () => {
    const huge = "x".repeat(30_000_000);
    const dir = folder({
      "events.csv": `user,item,timestamp\nu1,i1,1\nu1,i2,2\nu1,${huge},oops\n`,
      "wide.recspec": spec("wide", 'interactions("events.csv")'),
    });
    const r = await run(dir, "wide.recspec");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error\[RS6001\]: timestamp in 'timestamp' must be a number, found 'oops'$/m);
    expect(r.stderr).toMatch(/^ {2}--> events\.csv:4:30000005$/m);
    // The column is near the end, so the window is the line's last 80 characters: 75 x's, ",oops".
    expect(r.stderr).toContain(` 4 | …${"x".repeat(75)},oops\n`);
    expect(r.stderr).toMatch(/^ {3}\| {78}\^$/m);
    expect(r.stderr.length).toBeLessThan(2000);
    expectNoStack(r.stderr);
  });

  it("data paths are relative to the spec file's folder: the file beside the spec wins over the working folder's", async () => {
    const dir = folder({
      "sub/events.csv": "user,item,timestamp\nu1,i1,1\nu1,i2,-3\n",
      "events.csv": SHORT_USERS,
      "sub/rel.recspec": spec("rel", 'interactions("events.csv")'),
    });
    const r = await run(dir, "sub/rel.recspec");
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^error\[RS6001\]: timestamp in 'timestamp' is negative \(before 1970\), found '-3'$/m);
    expect(r.stderr).toMatch(/^ {2}--> sub[/\\]events\.csv:3:7$/m);
  });

  it("a diverging loss: the help names `seq.train.optimizer.lr` and `seq.train.clip`", async () => {
    const rows = Array.from({ length: 40 }, (_, k) => `u${k % 8},i${k % 5},${k}`).join("\n");
    const dir = folder({
      "events.csv": `user,item,timestamp\n${rows}\n`,
      "nan.recspec": spec("nan", 'interactions("events.csv")', "epochs = 3\n    batch = 4"),
    });
    const r = await run(dir, "nan.recspec", "--set", "seq.train.optimizer.lr=1e30");
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^error\[RS6003\]/m);
    expect(r.stderr).toMatch(
      /= help: lower the learning rate \(`lr` of the optimizer, `seq\.train\.optimizer\.lr`; this step used 1e\+30\), or clip the gradient with `clip` in the train block \(`seq\.train\.clip`; e\.g\. clip = 1\.0\)$/m,
    );
    expectNoStack(r.stderr);
  });
});
