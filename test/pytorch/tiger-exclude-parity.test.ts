// The PyTorch target's beam search skipping seen items (exclude_history = true) against the
// TypeScript one, on the tiny TIGER of tiger-parity.test.ts at its initial weights: decode.py's
// search gives the hand-computed beams of the six-item trie (test/runtime/decode); for the first
// 12 test users, history excluded, retrieve and score_items give the same lists (items, order,
// scores to 1e-5) as the TypeScript program, `width` items each and none of them seen, and
// evaluate.py's rank_examples ranks those same lists (and rank_candidates, given them, their order); constrained, and unconstrained with cold
// items joining by prefix. Skips, saying why, where no python3 imports torch.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diskHost } from "../../src/cli/host.js";
import { prepareSpec } from "../../src/cli/prepare.js";
import { generatePytorch } from "../../src/compiler/codegen-pytorch/index.js";
import { compileSpec } from "../../src/compiler/compile.js";
import { historiesOf } from "../../src/runtime/pipeline/evaluate-model.js";
import type { PreparedData } from "../../src/runtime/pipeline/prepare-data.js";
import type { Run } from "../../src/runtime/program/run.js";
import { encodeNpy } from "../../src/runtime/prepare/npy.js";
import type { Quantizer } from "../../src/runtime/quantizers/quantizer.js";
import type { SemanticIdTable } from "../../src/runtime/quantizers/semantic-id-table.js";
import type { GenerativeRecModel } from "../../src/runtime/recommend/recommender.js";
import { importGeneratedModel } from "../helpers/generated-model.js";
import { useCpuBackend } from "../helpers/tf.js";
import { tinyTigerSpec } from "./tiny-tiger-spec.js";
import { torchPython } from "./torch-python.js";

const WIDTH = 5;
const SPEC = tinyTigerSpec(
  WIDTH,
  `  metrics         = [recall@5]
  exclude_history = true
  bootstrap       = 0`,
);

const python = torchPython();

interface Report {
  toy: Record<string, unknown>;
  same_seen: boolean;
  same_items: boolean;
  same_kept_items: boolean;
  list_lengths: number[];
  seen_in_lists: number;
  seen_in_kept_lists: number;
  beam_score_diff: number;
  same_retrieved: boolean;
  scores_diff: number;
  evaluated_lists: number[][];
  candidate_lists: number[][];
}

/** Compiles, prepares and generates the package of `text` in `dir`; runs the check against the TypeScript model's lists. */
async function compare(dir: string, text: string): Promise<{ report: Report; ts: { item: number; score: number }[][] }> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "tg_tiny.recspec"), text);
  const ir = compileSpec(join(dir, "tg_tiny.recspec"), diskHost).ir!;
  await prepareSpec(ir, dir, join(dir, "prepared"), () => undefined);
  mkdirSync(join(dir, "py"));
  for (const f of generatePytorch(ir)) writeFileSync(join(dir, "py", f.name), f.text);
  const { exports } = await importGeneratedModel("tg_tiny.recspec", text);
  const data = await (exports.loadSynth as (run: Run) => Promise<PreparedData>)({ specDir: dir, log: () => undefined } as unknown as Run);
  const ids = new (exports.IdsQuantizer as new (numItems: number) => Quantizer & { fit(): SemanticIdTable })(data.numItems);
  ids.table = ids.fit();
  const model = new (exports.TgModel as new (d: PreparedData, q: Quantizer) => GenerativeRecModel)(data, ids);
  try {
    const examples = data.split.test.slice(0, 12);
    const histories = historiesOf(examples, 0, examples.length, model.historyLength);
    const users = Int32Array.from(examples, (e) => e.user);
    const seen = examples.map((e) => e.history);
    const lists = await model.retrieval.retrieve(model, histories, examples.length, users, seen);
    const kept = await model.retrieval.retrieve(model, histories, examples.length, users);
    const scores = await model.scoreItems(histories, examples.length, users, seen);
    const out = join(dir, "expected");
    mkdirSync(out);
    writeFileSync(join(out, "beam_histories.npy"), encodeNpy(histories, [examples.length, model.historyLength]));
    writeFileSync(join(out, "beam_users.npy"), encodeNpy(users, [examples.length]));
    writeFileSync(join(out, "beam_scores.npy"), encodeNpy((await scores.data()) as Float32Array, scores.shape));
    scores.dispose();
    const pairs = (l: { item: number; score: number }[][]) => l.map((list) => list.map(({ item, score }) => [item, score]));
    const expected = { model: "tg", class: "TgModel", width: WIDTH, seen: seen.map((s) => Array.from(s)), lists: pairs(lists), kept: pairs(kept) };
    writeFileSync(join(out, "expected.json"), JSON.stringify(expected));
    const check = join(import.meta.dirname, "tiger_exclude_check.py");
    const r = spawnSync(python!, [check, join(dir, "py"), join(dir, "prepared"), out], { encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: "1" } });
    if (r.status !== 0) throw new Error(`tiger_exclude_check.py failed:\n${r.stderr}`);
    // Where TypeScript's own lists hold seen items: the exclusion has work to do.
    expect(kept.some((list, u) => list.some(({ item }) => seen[u].includes(item)))).toBe(true);
    return { report: JSON.parse(r.stdout) as Report, ts: lists };
  } finally {
    model.dispose();
  }
}

function expectSameSkippingLists(report: Report, ts: { item: number; score: number }[][]): void {
  expect(report.same_seen).toBe(true);
  expect(report.same_items).toBe(true);
  expect(report.same_kept_items).toBe(true);
  expect(report.list_lengths).toEqual(Array(12).fill(WIDTH));
  expect(report.seen_in_lists).toBe(0);
  expect(report.seen_in_kept_lists).toBeGreaterThan(0);
  expect(report.beam_score_diff).toBeLessThan(1e-5);
  expect(report.same_retrieved).toBe(true);
  expect(report.scores_diff).toBeLessThan(1e-5);
  // evaluate.py hands the histories over: the ranked lists are the decoded ones, full.
  expect(report.evaluated_lists).toEqual(ts.map((list) => list.map(({ item }) => item)));
  // So does rank_candidates: given the decoded items as candidates, it ranks them in decoded order.
  expect(report.candidate_lists).toEqual(ts.map((list) => list.map(({ item }) => item)));
}

describe.skipIf(python === undefined)("PyTorch target: TIGER's beam search skipping seen items", { timeout: 300_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    await useCpuBackend();
    dir = mkdtempSync(join(tmpdir(), "pytorch-tiger-exclude-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("gives the hand-computed beams of the six-item trie, and the TypeScript lists, full and unseen, constrained", async () => {
    const { report, ts } = await compare(join(dir, "trie"), SPEC);
    console.log(`PyTorch vs TypeScript, TIGER history excluded: ${JSON.stringify({ ...report, evaluated_lists: undefined, candidate_lists: undefined })}`);
    // As test/runtime/decode/skip-seen-items.test.ts works them out.
    expect(report.toy).toEqual({
      kept: [["00", "01"]],
      width2: [
        ["00", "01"],
        ["10", "20"],
        ["01", "11"],
      ],
      width3: [[], ["21"]],
      free: [["01", "11"]],
      free_off_trie: [["30", "31"]],
      under: [6, 2],
    });
    expectSameSkippingLists(report, ts);
  });

  it("agrees unconstrained, with cold items joining by prefix", async () => {
    const text = SPEC.replace("  seed              = 3\n", "  seed              = 3\n  cold_start        = 0.25\n").replace(
      `decode  = beam(width: ${WIDTH}, constrain: trie)`,
      `decode  = beam(width: ${WIDTH}, constrain: none)\n  cold_start_share = 0.4`,
    );
    expect(text).toContain("constrain: none");
    const { report, ts } = await compare(join(dir, "free"), text);
    console.log(`PyTorch vs TypeScript, TIGER history excluded, unconstrained: ${JSON.stringify({ ...report, toy: undefined, evaluated_lists: undefined })}`);
    expect(report.same_items).toBe(true);
    expect(report.seen_in_lists).toBe(0);
    expect(report.beam_score_diff).toBeLessThan(1e-5);
    expect(report.same_retrieved).toBe(true);
    expect(report.scores_diff).toBeLessThan(1e-5);
    expect(report.evaluated_lists.map((l) => l.filter((i) => i !== 0))).toEqual(ts.map((list) => list.map(({ item }) => item)));
  });
});
