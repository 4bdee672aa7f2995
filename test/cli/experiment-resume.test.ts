// `recspec run --experiment NAME --resume` after the spec's `vary` list changed (issue #17): cells
// are kept by configuration, not position — a configuration that moved in the grid keeps its
// results under its new place, a folder that held another configuration is emptied and re-run,
// and the log says which were kept and which re-run. Through the CLI in process.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import type { CommandIO } from "../../src/cli/io.js";

const PROGRAMS = resolve(".cache/recspec/test-experiment-resume");
const written: string[] = [];
afterAll(() => {
  for (const dir of written) rmSync(dir, { recursive: true, force: true });
});

const spec = (widths: string) => `spec sweep

dataset synth = synthetic {
  users             = 120
  clusters          = 3
  items_per_cluster = 6
  history           = 8
  seed              = 3
}

model seq = sequential(synth) {
  embedding = 8
  encoder   = transformer(layers: 1, heads: 2, d_ff: 16, dropout: 0.0, causal: true)

  train {
    optimizer = adam(lr: 5e-3)
    steps     = 3
    batch     = 64
  }
}

evaluate seq on synth.test {
  metrics = [hr@10]
}

experiment widths {
  vary seq.embedding in [${widths}]
  seeds  = 1
  report = [hr@10]
}
`;

async function run(dir: string, ...args: string[]) {
  let out = "";
  const io: CommandIO = { stdout: (t) => void (out += t), stderr: (t) => void (out += t), color: false, cwd: dir };
  mkdirSync(PROGRAMS, { recursive: true });
  const program = mkdtempSync(join(PROGRAMS, "program-"));
  written.push(program);
  const status = await main(
    ["run", join(dir, "sweep.recspec"), "--out", program, "--runs", join(dir, "runs"), "--backend", "wasm", "--experiment", "widths", ...args],
    io,
  );
  return { status, out };
}

type Saved = { cells: { cell: { config: Record<string, string> }; results: unknown[] }[] };

describe("experiment --resume after the vary list changed", () => {
  it("keeps cells by configuration and re-runs the changed ones, saying which", async () => {
    const dir = mkdtempSync(join(tmpdir(), "recspec-exp-resume-"));
    written.push(dir);
    writeFileSync(join(dir, "sweep.recspec"), spec("8, 16"));
    const first = await run(dir);
    expect(first.status, first.out).toBe(0);
    const root = join(dir, "runs", "sweep");
    const [id] = readdirSync(root);
    const results = () => JSON.parse(readFileSync(join(root, id, "experiments", "widths", "results.json"), "utf8")) as Saved;
    const before = results();
    const of = (saved: Saved, width: string) => saved.cells.find((c) => c.cell.config.embedding === width)!.results;

    // embedding=16 moves from cell 2 to cell 1; cell 2 is now embedding=24, a new configuration.
    writeFileSync(join(dir, "sweep.recspec"), spec("16, 24"));
    const resumed = await run(dir, "--resume");
    expect(resumed.status, resumed.out).toBe(0);
    expect(resumed.out).toMatch(/cell 1\/2 \(embedding=16\), seed 1\/1\n {2}done in the interrupted run as cell 2 \(same configuration\); kept/);
    expect(resumed.out).toMatch(
      /cell 2\/2 \(embedding=24\), seed 1\/1\n {2}its folder held embedding=16; the configuration changed, so it runs from the start/,
    );
    expect(resumed.out).toMatch(
      /experiment widths: 1 of 2 runs kept from the interrupted run; 1 re-run because their configuration changed, 0 continued, 0 new/,
    );
    const after = results();
    expect(after.cells.map((c) => c.cell.config.embedding)).toEqual(["16", "24"]);
    // The kept cell's numbers are those embedding=16 had; the new cell's model has embedding 24.
    expect(of(after, "16")).toEqual(of(before, "16"));
    const model = JSON.parse(readFileSync(join(root, id, "experiments", "widths", "cell-002", "seed-0", "seq", "model", "model.json"), "utf8"));
    const shapes = model.weightsManifest[0].weights.map((w: { shape: number[] }) => w.shape);
    expect(shapes.some((s: number[]) => s[s.length - 1] === 24)).toBe(true);

    // Back to the first list: both configurations are found by key (8 was set aside), nothing re-runs.
    writeFileSync(join(dir, "sweep.recspec"), spec("8, 16"));
    const back = await run(dir, "--resume");
    expect(back.status, back.out).toBe(0);
    expect(back.out).toMatch(/2 of 2 runs kept/);
    expect(of(results(), "8")).toEqual(of(before, "8"));
  });
});
