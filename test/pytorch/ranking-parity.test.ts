// The PyTorch target against the TypeScript one on a tiny SID-ranking spec (24 items, Semantic IDs
// of 3 levels × 4 codes from random_ids, hashed 2-gram rows, a [16, 8] MLP, 3 negatives per
// positive, 10% cold items): `recspec prepare` hands over the initial weights, each item's table
// rows and every update's negatives drawn as the TypeScript trainer draws them; loss, gradients and
// scores of the first batch agree to 1e-5 for n-gram, SPM and random-id items (and an attention
// pool), three models of one spec; `torchrun --nproc_per_node=2` trains to the weights of one process; a short training in
// each target lands on sampled-candidate AUC and NDCG (all, cold-start and popularity slices)
// inside each other's bootstrap intervals. The three models' first-batch checks and the DDP check
// run in one Python process, after both trainings. Skips, saying why, where no python3 imports torch.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeBatch } from "../../src/runtime/data/batching.js";
import type { PreparedData } from "../../src/runtime/pipeline/prepare-data.js";
import type { EvaluationResult } from "../../src/runtime/pipeline/evaluate-model.js";
import { trainModel } from "../../src/runtime/pipeline/train-model.js";
import type { Run } from "../../src/runtime/program/run.js";
import { decodeNpy } from "../../src/runtime/prepare/npy.js";
import type { Quantizer } from "../../src/runtime/quantizers/quantizer.js";
import { loadSemanticIdTable } from "../../src/runtime/quantizers/semantic-id-table.js";
import { evaluateRanking } from "../../src/runtime/ranking/evaluate-ranking.js";
import type { ItemRepresentation } from "../../src/runtime/ranking/item-representations.js";
import type { PairwiseRanker } from "../../src/runtime/ranking/ranker.js";
import { Rng } from "../../src/runtime/random.js";
import { useCpuBackend } from "../helpers/tf.js";
import {
  generatedModule,
  onWasm,
  parityReports,
  preparedPackage,
  preparedWeights,
  sh,
  trainOnTwoProcesses,
  writeFirstBatch,
  type ParityReport,
  type PreparedPackage,
  expectFirstBatchAgrees,
} from "./family-parity.js";
import { torchPython } from "./torch-python.js";

const SPEC = `spec pt_rank

dataset synth = synthetic {
  users             = 150
  clusters          = 3
  items_per_cluster = 8
  stay              = 0.8
  switch            = 0.1
  length            = 10
  history           = 8
  cold_start        = 0.1
  seed              = 3
}

quantizer sid = random_ids(synth.items) {
  levels   = 3
  codebook = 4
}

model ranker = ranking(synth) {
  item      = semantic_id(sid, embed: ngram(n: 2, rows: 8))
  user      = history_pool(history: 6)
  embedding = 8
  layers    = [16, 8]
  loss      = logistic(negatives: 3)

  train {
    optimizer = adam(lr: 1e-2)
    epochs    = 3
    batch     = 64
  }
}

model ranker_spm = ranking(synth) {
  item      = semantic_id(sid, embed: spm(vocab: 20))
  user      = history_pool(history: 6)
  embedding = 8
  layers    = [16, 8]
  loss      = logistic(negatives: 3)
}

model ranker_random = ranking(synth) {
  item      = random_id(buckets: 16)
  user      = history_pool(history: 6, pool: attention)
  embedding = 8
  layers    = [16, 8]
  loss      = logistic(negatives: 2, sampling: uniform)
}

evaluate ranker on synth.test {
  metrics    = [auc, ndcg@5]
  candidates = sampled(negatives: 20, sampling: uniform)
  slices     = [all, cold_start, popularity(head: 0.2)]
  bootstrap  = 200
}
`;

const python = torchPython();

type Ranker = PairwiseRanker & { readonly item: ItemRepresentation };

/** The generated TypeScript ranker `cls` of a prepared package, over the Semantic IDs prepare fitted. */
async function typescriptRanker(pkg: PreparedPackage, cls = "RankerModel"): Promise<{ model: Ranker; data: PreparedData }> {
  const { exports } = await generatedModule("pt_rank.recspec", SPEC);
  const run = { specDir: pkg.dir, log: () => undefined } as unknown as Run;
  const data = await (exports.loadSynth as (run: Run) => Promise<PreparedData>)(run);
  const sid = { name: "sid", table: loadSemanticIdTable(join(pkg.prepared, "sid", "semantic-ids.json")) } as unknown as Quantizer;
  return { model: new (exports[cls] as new (d: PreparedData, q: Quantizer) => Ranker)(data, sid), data };
}

/** Update 1's loss context, as the TypeScript trainer forks it (seed 0, one micro-batch). */
const firstStep = () => ({ training: true, rng: new Rng(0).fork("step/1/0") });

const CLASSES = ["RankerModel", "RankerSpmModel", "RankerRandomModel"] as const;

describe.skipIf(python === undefined)("PyTorch target: SID ranking against the TypeScript program", { timeout: 300_000 }, () => {
  let root: string;
  let pkg: PreparedPackage;
  let checked: Promise<{ variables: Map<string, number>; reports: Map<string, ParityReport> }> | undefined;

  /**
   * Trains in one process and in two (DDP), then checks, in one Python process, each model's
   * first batch against the TypeScript side's, and the ranker's weights of the two trainings.
   * Run once, on the first call.
   */
  function checkedOnce() {
    checked ??= (async () => {
      const cases = [];
      const variables = new Map<string, number>();
      for (const cls of CLASSES) {
        const { model } = await typescriptRanker(pkg, cls);
        variables.set(cls, model.params.variables().size);
        const expected = await writeFirstBatch(model, pkg, firstStep(), join(root, `expected-${model.name}`), { class: cls });
        model.dispose();
        cases.push({ package: pkg.py, prepared: pkg.prepared, expected, runs: cls === "RankerModel" ? [join(root, "one"), join(root, "ddp")] : [] });
      }
      sh(pkg.py, python!, ["train.py", "--data", pkg.prepared, "--run", join(root, "one")]);
      await trainOnTwoProcesses(python!, pkg.py, pkg.prepared, join(root, "ddp"));
      const reports = parityReports(python!, cases);
      return { variables, reports: new Map(CLASSES.map((cls, i) => [cls, reports[i]])) };
    })();
    return checked;
  }

  beforeAll(async () => {
    await useCpuBackend();
    root = mkdtempSync(join(tmpdir(), "pytorch-ranking-"));
    pkg = await preparedPackage(root, "pt_rank", SPEC);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("hands over the initial weights, each item's table rows and the trainer's negatives", async () => {
    const { model } = await typescriptRanker(pkg);
    const weights = preparedWeights(pkg, "ranker");
    for (const [name, v] of model.params.variables()) expect(Array.from(weights.get(name)!), name).toEqual(Array.from(v.dataSync()));
    const handed = pkg.manifest.models.ranker.ranking!;
    expect("rows" in handed.item && handed.item.tableRows).toBe(model.item.budget.rows);
    const rows = decodeNpy(readFileSync(join(pkg.prepared, "rows" in handed.item ? handed.item.rows.file : ""))).data;
    // 2 n-gram tables over 3 levels: item i reads one row of each, row 0 (the pad) none.
    expect(Array.from(rows.subarray(0, 2))).toEqual([-1, -1]);
    for (let i = 1; i <= 24; i++) expect(Array.from(rows.subarray(2 * i, 2 * i + 2))).toEqual([...model.item.rowsOf(i)]);
    // Update 1's negatives are those the TypeScript model draws for its first batch.
    const order = decodeNpy(readFileSync(join(pkg.prepared, pkg.manifest.models.ranker.batchOrder.file))).data;
    const offsets = decodeNpy(readFileSync(join(pkg.prepared, pkg.manifest.models.ranker.batchOffsets.file))).data;
    const batch = makeBatch(model.trainingExamples, order.subarray(0, offsets[1]), model.historyLength);
    const { candidates } = model.trainingCandidates(batch, firstStep());
    const negatives = decodeNpy(readFileSync(join(pkg.prepared, handed.negatives.values.file)));
    expect(negatives.shape[1]).toBe(3);
    const drawn = Array.from({ length: batch.size }, (_, b) => Array.from(candidates.subarray(b * 4 + 1, b * 4 + 4)));
    expect(Array.from(negatives.data.subarray(0, batch.size * 3))).toEqual(drawn.flat());
    // Never the target, never a cold item.
    expect(drawn.every((row, b) => !row.includes(batch.targets[b]))).toBe(true);
    model.dispose();
  });

  it.each([
    ["RankerModel", "semantic_id(sid, embed: ngram(n: 2, rows: 8)), mean pool"],
    ["RankerSpmModel", "semantic_id(sid, embed: spm(vocab: 20)), mean pool"],
    ["RankerRandomModel", "random_id(buckets: 16), attention pool"],
  ])("gives the same loss, gradients and scores on the first batch (1e-5): %s, item = %s", async (cls) => {
    const { variables: counts, reports } = await checkedOnce();
    const variables = counts.get(cls)!;
    const report = reports.get(cls)!;
    console.log(`PyTorch vs TypeScript, ${cls}: ${JSON.stringify({ ...report, weights_diff: undefined })}`);
    expectFirstBatchAgrees(report, variables);
  });

  it("trains in each target to metrics inside each other's bootstrap intervals, and DDP on 2 processes as one", async () => {
    const ts: EvaluationResult = await onWasm(async () => {
      const { model, data } = await typescriptRanker(pkg);
      await trainModel(model, data, pkg.ir.blocks.find((b) => b.name === "ranker")!.train as never, {
        runDir: join(root, "ts-run"),
        log: () => undefined,
        progressStream: false,
      });
      const result = await evaluateRanking(model, data, pkg.ir.evaluations[0]);
      model.dispose();
      return result;
    });
    const { variables, reports } = await checkedOnce();
    sh(pkg.py, python!, ["evaluate.py", "--data", pkg.prepared, "--run", join(root, "one")]);
    const [torchResult] = JSON.parse(readFileSync(join(root, "one", "results.json"), "utf8")) as EvaluationResult[];
    expect(torchResult.rows.map((r) => `${r.metric} ${r.slice} ${r.n}`)).toEqual(ts.rows.map((r) => `${r.metric} ${r.slice} ${r.n}`));
    expect(ts.rows.some((r) => r.slice === "cold_start" && r.n > 0)).toBe(true);
    expect(torchResult.protocol).toBe(ts.protocol);
    const gaps = ts.rows.map((r, i) => {
      const t = torchResult.rows[i];
      expect(r.value, `${r.metric} ${r.slice}`).toBeGreaterThanOrEqual(t.low);
      expect(r.value, `${r.metric} ${r.slice}`).toBeLessThanOrEqual(t.high);
      expect(t.value, `${r.metric} ${r.slice}`).toBeGreaterThanOrEqual(r.low);
      expect(t.value, `${r.metric} ${r.slice}`).toBeLessThanOrEqual(r.high);
      // The popularity baseline scores the same candidates by the same counts in both targets.
      expect(t.baseline!.value).toBeCloseTo(r.baseline!.value, 12);
      return Math.abs(r.value - t.value);
    });
    console.log(`ranking: largest metric gap between the targets ${Math.max(...gaps)}; TS ${JSON.stringify(ts.rows.map((r) => [r.metric, r.slice, r.value]))}`);
    // The model learned something: AUC over all test users above chance in both targets.
    expect(ts.rows[0].value).toBeGreaterThan(0.5);
    expect(torchResult.rows[0].value).toBeGreaterThan(0.5);
    const report = reports.get("RankerModel")!;
    expect(report.weights_moved).toBeGreaterThan(1e-3);
    const [ddp] = report.weights_diff!;
    console.log(`DDP against one process: ${JSON.stringify(ddp)}`);
    expect(Object.keys(ddp).length).toBe(report.parameters);
    expect(report.parameters).toBe(variables.get("RankerModel"));
    for (const [name, diff] of Object.entries(ddp)) expect(diff, name).toBeLessThan(1e-5);
  });
});
