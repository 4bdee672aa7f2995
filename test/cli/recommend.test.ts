// `recspec recommend` through the CLI in process: the tiny sequential spec and a tiny TIGER are
// trained once each into temporary runs folders, then asked for recommendations by raw user id.
// The lists are checked against the trained model scored directly (the program's own `restore`,
// then scoreItems on the user's whole history): the same items, in the same order, with the same
// scores, none of the user's own unless --include-seen. Programs go under the checkout's .cache/
// (where "recspec/runtime" resolves for vitest too).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import type { CommandIO } from "../../src/cli/io.js";
import { padHistory } from "../../src/runtime/data/batching.js";
import { userItems } from "../../src/runtime/data/interactions.js";
import type { RecModel } from "../../src/runtime/models/rec-model.js";
import type { PreparedData } from "../../src/runtime/pipeline/prepare-data.js";
import type { Run } from "../../src/runtime/program/run.js";
import type { GenerativeRecModel } from "../../src/runtime/recommend/recommender.js";
import type { Recommendation, UserRecommendation } from "../../src/runtime/recommend/recommend-items.js";
import { trainedRun } from "../../src/runtime/recommend/trained-run.js";

const PROGRAMS = resolve(".cache/recspec/test-recommend");
const written: string[] = [];
afterAll(() => {
  for (const dir of written) rmSync(dir, { recursive: true, force: true });
});

async function recspec(cwd: string, ...args: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CommandIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false, cwd };
  const status = await main(args, io);
  return { status, stdout, stderr };
}

interface Trained {
  dir: string;
  spec: string;
  out: string;
  runs: string;
  /** The program's `restore` on the trained run, for scoring directly. */
  restored: () => Promise<Record<string, unknown>>;
}

/** A user's folder with the fixture (its text edited by `edit`), trained with `recspec run`. */
async function trainFixture(name: string, edit: (text: string) => string = (t) => t): Promise<Trained> {
  const dir = mkdtempSync(join(tmpdir(), "recspec-recommend-"));
  written.push(dir);
  const spec = join(dir, `${name}.recspec`);
  writeFileSync(spec, edit(readFileSync(resolve("test/fixtures/specs", `${name}.recspec`), "utf8")));
  mkdirSync(PROGRAMS, { recursive: true });
  const out = mkdtempSync(join(PROGRAMS, `${name}-`));
  written.push(out);
  const runs = join(dir, "runs");
  const r = await recspec(dir, "run", spec, "--out", out, "--runs", runs, "--backend", "wasm");
  expect(r.status, r.stderr).toBe(0);
  const restored = async () => {
    const run: Run = await trainedRun(name, { specDir: dir, runsDir: runs, backend: "wasm", log: () => undefined });
    const program = (await import(pathToFileURL(join(out, "infer.ts")).href)) as { restore(run: Run): Promise<Record<string, unknown>> };
    return program.restore(run);
  };
  return { dir, spec, out, runs, restored };
}

const lines = (stdout: string) =>
  stdout
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as UserRecommendation);
const known = (entry: UserRecommendation) => entry as Recommendation;

/** The user's raw item ids, all of them (what "seen" means). */
function historyOf(data: PreparedData, user: string): string[] {
  return Array.from(userItems(data.store, data.store.userIndex.get(user)!), (i) => data.store.itemIds[i]);
}

/** Scores of every item for one user, straight from the model: its last T items as input. */
async function directScores(model: RecModel, data: PreparedData, user: string): Promise<Float32Array> {
  const u = data.store.userIndex.get(user)!;
  const scores = await model.scoreItems(padHistory(userItems(data.store, u), model.historyLength), 1, Int32Array.of(u));
  try {
    return (await scores.data()) as Float32Array;
  } finally {
    scores.dispose();
  }
}

describe("recspec recommend (sequential model)", () => {
  let tiny: Trained;
  let trained: Record<string, unknown>;
  let seq: RecModel;
  let synth: PreparedData;
  beforeAll(async () => {
    tiny = await trainFixture("tiny", (t) => t.replace(/epochs\s*=\s*3/, "epochs = 1"));
    trained = await tiny.restored();
    seq = trained.seq as RecModel;
    synth = trained.synth as PreparedData;
  }, 240_000);
  afterAll(() => seq?.dispose());

  const recommend = (...args: string[]) => recspec(tiny.dir, "recommend", tiny.spec, "--out", tiny.out, "--runs", tiny.runs, "--backend", "wasm", ...args);

  it("gives a known user the model's top K items, none of them seen, with the model's scores", async () => {
    const r = await recommend("--user", "7", "--k", "5");
    expect(r.status, r.stderr).toBe(0);
    const entries = lines(r.stdout);
    expect(entries).toHaveLength(1);
    const { user, model, items } = known(entries[0]);
    expect([user, model]).toEqual(["7", "seq"]);
    expect(items).toHaveLength(5);
    const seen = new Set(historyOf(synth, "7"));
    expect(seen.size).toBeGreaterThan(0);
    for (const it of items) expect(seen.has(it.item), `${it.item} was seen`).toBe(false);

    // The same list the model's own scores give: unseen items by score, best first.
    const direct = await directScores(seq, synth, "7");
    const expected = synth.store.itemIds
      .map((id, i) => ({ id, score: direct[i] }))
      .filter((x, i) => i > 0 && !seen.has(x.id))
      .sort((a, b) => b.score - a.score)
      .slice(0, 5);
    expect(items.map((it) => it.item)).toEqual(expected.map((x) => x.id));
    items.forEach((it, r) => expect(it.score).toBeCloseTo(expected[r].score, 5));
    for (let r = 1; r < items.length; r++) expect(items[r].score).toBeLessThanOrEqual(items[r - 1].score);
    expect(r.stderr).toMatch(/recommended for 1 user in \d/);
  });

  it("--include-seen lets the user's own items in", async () => {
    const all = synth.numItems;
    const seen = new Set(historyOf(synth, "7"));
    const without = known(lines((await recommend("--user", "7", "--k", String(all))).stdout)[0]);
    const withSeen = known(lines((await recommend("--user", "7", "--k", String(all), "--include-seen")).stdout)[0]);
    // K as large as the catalogue: every unseen item, then every item.
    expect(without.items).toHaveLength(all - seen.size);
    expect(withSeen.items).toHaveLength(all);
    expect(withSeen.items.filter((it) => seen.has(it.item)).length).toBe(seen.size);
  });

  it("--users FILE gives one JSON line per user, in the file's order, batch after batch", async () => {
    const file = join(tiny.dir, "users.txt");
    writeFileSync(file, "12\n3\n\n  250 \n3\n");
    const r = await recommend("--users", file, "--k", "3", "--batch", "2");
    expect(r.status, r.stderr).toBe(0);
    const entries = lines(r.stdout).map(known);
    expect(entries.map((e) => e.user)).toEqual(["12", "3", "250", "3"]);
    for (const e of entries) expect(e.items).toHaveLength(3);
    // A user's list does not depend on the batch it was scored in.
    expect(entries[3]).toEqual(entries[1]);
    const direct = await directScores(seq, synth, "250");
    for (const it of entries[2].items) expect(it.score).toBeCloseTo(direct[synth.store.itemIndex.get(it.item)!], 5);
  });

  it("--format csv gives a header and one row per item, ranked from 1", async () => {
    const file = join(tiny.dir, "two-users.txt");
    writeFileSync(file, "1\n2\n");
    const r = await recommend("--users", file, "--k", "4", "--format", "csv");
    expect(r.status, r.stderr).toBe(0);
    const rows = r.stdout.trimEnd().split("\n");
    expect(rows[0]).toBe("user,rank,item,score");
    expect(rows).toHaveLength(1 + 2 * 4);
    expect(rows.slice(1).map((row) => row.split(",").slice(0, 2).join(","))).toEqual(["1,1", "1,2", "1,3", "1,4", "2,1", "2,2", "2,3", "2,4"]);
    const jsonl = lines((await recommend("--user", "2", "--k", "4")).stdout).map(known)[0];
    expect(rows.slice(5).map((row) => row.split(",")[2])).toEqual(jsonl.items.map((it) => it.item));
  });

  it("an unknown user given with --user is an error (RS6040, exit 1) and prints nothing", async () => {
    const r = await recommend("--user", "7", "--user", "no-such-user");
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/error\[RS6040\]: unknown user `no-such-user`/);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it("an unknown user in a --users file gets an error line in place; the others are answered", async () => {
    const file = join(tiny.dir, "some-unknown.txt");
    writeFileSync(file, "4\nghost\n5\n");
    const r = await recommend("--users", file, "--k", "2");
    expect(r.status, r.stderr).toBe(0);
    const entries = lines(r.stdout);
    expect(entries.map((e) => e.user)).toEqual(["4", "ghost", "5"]);
    expect(entries[1]).toEqual({ user: "ghost", error: { code: "RS6040", message: expect.stringMatching(/unknown user `ghost`/) } });
    expect(r.stderr).toMatch(/warning\[RS6040\]: unknown user `ghost`/);
    expect(r.stderr).toMatch(/recommended for 2 users, 1 unknown/);
  });

  it("`exec DIR --stage recommend` recommends from the written program as `recommend` does", async () => {
    const direct = await recommend("--user", "7", "--user", "8", "--k", "4", "--format", "csv");
    const exec = await recspec(
      tiny.dir,
      "exec",
      tiny.out,
      "--stage",
      "recommend",
      "--runs",
      tiny.runs,
      "--backend",
      "wasm",
      "--user",
      "7",
      "--user",
      "8",
      "--k",
      "4",
      "--format",
      "csv",
    );
    expect(exec.status, exec.stderr).toBe(0);
    expect(exec.stdout).toBe(direct.stdout);
    expect(exec.stdout.split("\n")).toHaveLength(1 + 8 + 1);
    const unknown = await recspec(tiny.dir, "exec", tiny.out, "--stage=recommend", "--runs", tiny.runs, "--backend", "wasm", "--user", "nobody");
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/error\[RS6040\]/);
  });

  it("a --users file that cannot be read is an input error (exit 1), found before any work", async () => {
    const r = await recommend("--users", join(tiny.dir, "missing.txt"));
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("error: cannot read the users file `" + join(tiny.dir, "missing.txt") + "`: no such file\n");
  });

  it("--run names a run by its folder or its id", async () => {
    const [id] = readdirSync(join(tiny.runs, "tiny"));
    const byId = await recommend("--user", "7", "--k", "3", "--run", id);
    const byFolder = await recommend("--user", "7", "--k", "3", "--run", join(tiny.runs, "tiny", id));
    expect(byId.status, byId.stderr).toBe(0);
    expect(byFolder.stdout).toBe(byId.stdout);
    const missing = await recommend("--user", "7", "--run", "1999-01-01T00-00-00Z");
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/error\[RS6005\]: no run `1999-01-01T00-00-00Z`/);
  });

  it("refuses bad usage before any work (exit 2)", async () => {
    for (const args of [
      [],
      ["--user", "1", "--users", "f"],
      ["--user", "1", "--k", "0"],
      ["--user", "1", "--format", "json"],
      ["--user", "1", "--model", "nope"],
    ]) {
      const r = await recommend(...args);
      expect(r.status, `${args.join(" ")}: ${r.stderr}`).toBe(2);
      expect(r.stdout).toBe("");
    }
  });

  it("refuses a run trained with another configuration (RS6030, exit 1)", async () => {
    const wider = join(tiny.dir, "tiny-wider.recspec");
    writeFileSync(wider, readFileSync(tiny.spec, "utf8").replace(/embedding\s*=\s*16/, "embedding = 24"));
    const out = mkdtempSync(join(PROGRAMS, "tiny-wider-"));
    written.push(out);
    const r = await recspec(tiny.dir, "recommend", wider, "--out", out, "--runs", tiny.runs, "--backend", "wasm", "--user", "1");
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/error\[RS6030\]: cannot recommend from [^]*seq\.embedding: 16 → 24/);
  });

  it("with no run of the spec, says so (RS6005, exit 1)", async () => {
    const r = await recspec(tiny.dir, "recommend", tiny.spec, "--out", tiny.out, "--runs", join(tiny.dir, "no-runs"), "--user", "1");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error\[RS6005\]/);
  });
});

describe("recspec recommend (generative model)", () => {
  let tiger: Trained;
  let model: GenerativeRecModel;
  let synth: PreparedData;
  beforeAll(async () => {
    tiger = await trainFixture("tiny_tiger");
    const trained = await tiger.restored();
    model = trained.tiger as GenerativeRecModel;
    synth = trained.synth as PreparedData;
  }, 240_000);
  afterAll(() => model?.dispose());

  const recommend = (...args: string[]) => recspec(tiger.dir, "recommend", tiger.spec, "--out", tiger.out, "--runs", tiger.runs, "--backend", "wasm", ...args);

  it("gives each item its Semantic ID and its beam score, as the model's beam search scores it", async () => {
    const r = await recommend("--user", "9", "--k", "4", "--include-seen");
    expect(r.status, r.stderr).toBe(0);
    const { items, model: name } = known(lines(r.stdout)[0]);
    expect(name).toBe("tiger");
    expect(items).toHaveLength(4);
    const t = model.layout.tokensPerItem;
    const direct = await directScores(model, synth, "9");
    for (const it of items) {
      const index = synth.store.itemIndex.get(it.item)!;
      expect(it.semanticId).toEqual(Array.from(model.layout.codes.subarray(index * t, (index + 1) * t)));
      // A beam score is a sum of log-probabilities.
      expect(it.score).toBeLessThanOrEqual(0);
      expect(it.score).toBeCloseTo(direct[index], 4);
    }
    for (let i = 1; i < items.length; i++) expect(items[i].score).toBeLessThanOrEqual(items[i - 1].score);
  });

  it("leaves seen items out, widens the beam for a K beyond the spec's width, and adds semantic_id to CSV", async () => {
    const seen = new Set(historyOf(synth, "9"));
    const r = await recommend("--user", "9", "--k", "12");
    expect(r.status, r.stderr).toBe(0);
    const { items } = known(lines(r.stdout)[0]);
    for (const it of items) expect(seen.has(it.item)).toBe(false);
    const wide = known(lines((await recommend("--user", "9", "--k", "12", "--include-seen")).stdout)[0]);
    // Width 8 in the spec: twelve beams were searched.
    expect(wide.items).toHaveLength(12);
    const csv = await recommend("--user", "9", "--k", "2", "--format", "csv");
    const rows = csv.stdout.trimEnd().split("\n");
    expect(rows[0]).toBe("user,rank,item,score,semantic_id");
    expect(rows[1]).toMatch(/^9,1,\d+,-?[\d.e-]+,\d+(-\d+)+$/);
  });
});
