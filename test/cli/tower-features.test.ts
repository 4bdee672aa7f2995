// Side features as tower inputs, through `recspec run` in process: a two-tower whose user tower
// reads age, gender and occupation (u.user, written here) and whose item tower reads genres, on
// the tiny MovieLens-format clusters data (48 users, each keeping to one of three 10-item clusters;
// each cluster's items share a genre, and each cluster's users an occupation). It trains with a
// full softmax, is evaluated beside popularity, and its model.ts spells the feature tables out. A
// missing u.user is a diagnostic naming the file (RS6002), exit 1 and no stack.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import type { CommandIO } from "../../src/cli/io.js";

const PROGRAMS = resolve(".cache/recspec/test-tower-features");
const written: string[] = [];
afterAll(() => {
  for (const dir of written) rmSync(dir, { recursive: true, force: true });
});

const SPEC = `spec features

dataset ml = movielens("ml") {
  split   = leave_last_out
  history = 10
}

tower users = user_tower(ml) {
  embedding = 16
  features  = [age, gender, occupation]
}

tower items = item_tower(ml) {
  embedding = 16
  features  = [genres]
}

model two_tower_features = two_tower(users, items) {
  loss = softmax
  train {
    epochs    = 8
    batch     = 64
    optimizer = adam(lr: 0.01)
  }
}

evaluate two_tower_features on ml.test {
  metrics         = [recall@10]
  exclude_history = true
  bootstrap       = 0
}
`;

const OCCUPATIONS = ["artist", "doctor", "engineer"];

/** A folder with the spec and the clusters data; u.user unless `users` is false. */
function folder(users: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), "recspec-tower-features-"));
  written.push(dir);
  mkdirSync(join(dir, "ml"));
  for (const f of ["u.data", "u.item"]) copyFileSync(resolve("test/fixtures/data/ml-clusters", f), join(dir, "ml", f));
  // User u keeps to cluster (u − 1) mod 3 of the fixture: its occupation says which.
  const lines = Array.from({ length: 48 }, (_, k) => `${k + 1}|${18 + ((k * 7) % 50)}|${k % 2 === 0 ? "F" : "M"}|${OCCUPATIONS[k % 3]}|00000`);
  if (users) writeFileSync(join(dir, "ml", "u.user"), `${lines.join("\n")}\n`);
  writeFileSync(join(dir, "features.recspec"), SPEC);
  return dir;
}

async function run(dir: string) {
  let stdout = "";
  let stderr = "";
  const io: CommandIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false, cwd: dir };
  mkdirSync(PROGRAMS, { recursive: true });
  const out = mkdtempSync(join(PROGRAMS, "program-"));
  written.push(out);
  const status = await main(["run", join(dir, "features.recspec"), "--out", out, "--runs", join(dir, "runs"), "--backend", "cpu"], io);
  return { status, stdout, stderr, out };
}

type Row = { metric: string; slice: string; value: number; baseline: { value: number } | null };

describe("side features as tower inputs", () => {
  it("trains a two-tower over ids, user features and genres, and beats popularity", async () => {
    const dir = folder(true);
    const r = await run(dir);
    expect(r.status, r.stderr).toBe(0);
    const model = readFileSync(join(r.out, "model.ts"), "utf8");
    expect(model).toContain('new UserFeatureRows(store, "occupation"');
    expect(model).toContain('new ItemFeatureLists(store, "genres"');
    expect(model).toMatch(/tf\.addN\(\[id, age, gender, occupation\]\) as tf\.Tensor2D; \/\/ \[B, 16\]/);
    expect(model).toMatch(/Full softmax over the catalogue/);
    const root = join(dir, "runs", "features");
    const [run1] = readdirSync(root).map((d) => join(root, d));
    const results = JSON.parse(readFileSync(join(run1, "results.json"), "utf8")) as { model: string; rows: Row[] }[];
    const recall = results[0].rows.find((row) => row.metric === "recall@10" && row.slice === "all")!;
    // Each user keeps to a cluster: a model that learned who likes what beats the global popularity list.
    expect(recall.value).toBeGreaterThan(recall.baseline!.value + 0.2);
  }, 240_000);

  it("names u.user when a user tower lists features and the file is not there", async () => {
    const dir = folder(false);
    const r = await run(dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("RS6002");
    expect(r.stderr).toContain(join("ml", "u.user"));
    expect(r.stderr).toMatch(/tower `users` reads user `age`/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);
});
