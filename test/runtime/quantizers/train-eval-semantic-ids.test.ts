// `recspec run` then `recspec eval` on a spec with quantizers, as a user runs them: the run saves
// each quantizer's Semantic-ID table in its folder, and eval restores those tables (the RQ-VAE's
// and LSH's codes) instead of fitting again, so the ranker over them reproduces its numbers.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const BIN = resolve("bin/recspec.js");
const SPEC = `spec sids

dataset synth = synthetic {
  users             = 200
  clusters          = 4
  items_per_cluster = 8
  history           = 8
  seed              = 3
}

features content = vectors("v.jsonl", items: synth.items, dim: 4)

quantizer sid = rqvae(content) {
  encoder  = mlp([8], activation: relu)
  latent   = 4
  levels   = 2
  codebook = 4
  train { epochs = 2  batch = 16 }
}

quantizer hashed = lsh(content) {
  levels   = 2
  codebook = 4
}

model ranker = ranking(synth) {
  item      = semantic_id(sid, embed: ngram(n: 1, rows: 16))
  embedding = 8
  layers    = [8]
  train { epochs = 1  batch = 64 }
}

evaluate ranker on synth.test {
  metrics = [auc]
}
`;

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function recspec(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args, "--backend", "wasm"], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const md5 = (file: string) => createHash("md5").update(readFileSync(file)).digest("hex");

describe("recspec run, then eval, with quantizers", () => {
  it("restores the saved Semantic IDs and reproduces the run's results", () => {
    const cwd = mkdtempSync(join(tmpdir(), "recspec-sids-"));
    dirs.push(cwd);
    writeFileSync(join(cwd, "sids.recspec"), SPEC);
    // Items 1..32 in 4 clusters of 8: one direction per cluster, a little spread within it.
    const lines = Array.from({ length: 32 }, (_, k) => {
      const vector = [0, 1, 2, 3].map((j) => (j === Math.floor(k / 8) ? 1 : 0) + 0.1 * Math.sin(k * 7 + j));
      return JSON.stringify({ item: String(k + 1), vector });
    });
    writeFileSync(join(cwd, "v.jsonl"), `${lines.join("\n")}\n`);

    const r = recspec(cwd, "run", "sids.recspec");
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/training sid \(rq-vae, \d+ parameters\)/);
    expect(r.out).toMatch(/sid epoch 2\/2: loss /);
    const [run] = readdirSync(join(cwd, "runs", "sids")).map((d) => join(cwd, "runs", "sids", d));
    const tables = ["sid", "hashed"].map((q) => join(run, q, "semantic-ids.json"));
    const saved = tables.map(md5);
    const results = readFileSync(join(run, "results.json"), "utf8");

    const e = recspec(cwd, "eval", "sids.recspec");
    expect(e.status, e.out).toBe(0);
    expect(e.out).toContain(`restored sid from ${tables[0]}`);
    expect(e.out).toContain(`restored hashed from ${tables[1]}`);
    expect(e.out).not.toMatch(/training sid/);
    expect(tables.map(md5)).toEqual(saved);
    expect(JSON.parse(readFileSync(join(run, "results.json"), "utf8"))).toEqual(JSON.parse(results));
  }, 300_000);
});
