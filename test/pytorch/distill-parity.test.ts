// The PyTorch target against the TypeScript one on a tiny distillation spec (a SASRec teacher of
// width 8, a student of width 4, τ = 2, α = 0.7, no dropout): with the teacher and the student at
// the initial weights `recspec prepare` hands over, the student's loss, gradients and scores on the
// first batch agree to 1e-5 for every teacher transform (full, label_smoothing, pt, sim, topk);
// train.py trains the teacher, then the student against it, to the same per-step losses as the
// TypeScript trainer, `torchrun --nproc_per_node=2` to the weights of one process, and the two
// students' metrics land inside each other's bootstrap intervals. The teacher's outputs are
// computed in PyTorch from the trained teacher (not handed over), so precompute is off here and
// changes nothing there. The five first-batch checks and the DDP check run in one Python process
// (importing torch is most of a check's time). Skips, saying why, where no python3 imports torch.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diskHost } from "../../src/cli/host.js";
import { generatePytorch } from "../../src/compiler/codegen-pytorch/index.js";
import { compileSpec } from "../../src/compiler/compile.js";
import type { RecModel } from "../../src/runtime/models/rec-model.js";
import { evaluateModel, type EvaluationResult } from "../../src/runtime/pipeline/evaluate-model.js";
import type { PreparedData } from "../../src/runtime/pipeline/prepare-data.js";
import { weighsBatchesByTargets } from "../../src/ir/weighs-batches-by-targets.js";
import { trainModel } from "../../src/runtime/pipeline/train-model.js";
import type { Run } from "../../src/runtime/program/run.js";
import { Rng } from "../../src/runtime/random.js";
import { useCpuBackend } from "../helpers/tf.js";
import {
  generatedModule,
  parityReports,
  preparedPackage,
  preparedWeights,
  sh,
  trainOnTwoProcesses,
  writeFirstBatch,
  type CheckCase,
  type ParityReport,
  type PreparedPackage,
  expectFirstBatchAgrees,
} from "./family-parity.js";
import { torchPython } from "./torch-python.js";

const SPEC = `spec pt_distill

dataset synth = synthetic {
  users             = 120
  clusters          = 3
  items_per_cluster = 6
  stay              = 0.8
  switch            = 0.1
  length            = 12
  history           = 8
  seed              = 3
}

model teacher = sequential(synth) {
  embedding = 8
  encoder   = transformer(layers: 1, heads: 2, d_ff: 16, dropout: 0, causal: true)

  train {
    optimizer = adam(lr: 1e-2)
    epochs    = 3
    batch     = 32
  }
}

distill student = distill(
  teacher: teacher,
  student: teacher { embedding = 4 }
) {
  temperature       = 2
  alpha             = 0.7
  teacher_transform = full
  precompute        = false

  train {
    optimizer = adam(lr: 1e-2)
    epochs    = 3
    batch     = 32
  }
}

evaluate student on synth.test {
  metrics   = [recall@5, ndcg@5]
  slices    = [all, popularity(head: 0.2)]
  bootstrap = 200
}
`;

const python = torchPython();

interface TypescriptModels {
  data: PreparedData;
  teacher: RecModel;
  /** The distill block's value: its `buildStudent` with this teacher. */
  student: (teacher: RecModel) => RecModel;
}

async function typescriptModels(dir: string, text: string): Promise<TypescriptModels> {
  const { exports } = await generatedModule("pt_distill.recspec", text);
  const run = { specDir: dir, log: () => undefined } as unknown as Run;
  const data = await (exports.loadSynth as (run: Run) => Promise<PreparedData>)(run);
  const teacher = new (exports.TeacherModel as new (d: PreparedData) => RecModel)(data);
  const build = exports.buildStudent as (d: PreparedData, t: RecModel, run: Run) => RecModel;
  return { data, teacher, student: (t) => build(data, t, run) };
}

const TEACHER = { class: "StudentModel", teacher: "teacher", teacherClass: "TeacherModel" };

const TRANSFORMS = ["full", "label_smoothing(epsilon: 0.1)", "pt", "sim(rho: 0.5)", "topk(k: 3)"];

describe.skipIf(python === undefined)("PyTorch target: distillation against the TypeScript program", { timeout: 300_000 }, () => {
  let root: string;
  let pkg: PreparedPackage;
  let checked: Promise<{ variables: Map<string, number>; reports: Map<string, ParityReport> }> | undefined;

  /**
   * Trains in one process and in two (DDP), then checks, in one Python process, the student's
   * first batch under every teacher transform (each its own package over the same prepared data)
   * and the weights of the two trainings. Run once, on the first call.
   */
  function checkedOnce() {
    checked ??= (async () => {
      const cases: CheckCase[] = [];
      const variables = new Map<string, number>();
      for (const transform of TRANSFORMS) {
        const text = SPEC.replace("teacher_transform = full", `teacher_transform = ${transform}`);
        // The same data and initial weights for every transform: only the package differs.
        const variant = transform === "full" ? pkg : { ...pkg, py: join(root, `py-${transform.split("(")[0]}`) };
        if (variant !== pkg) {
          mkdirSync(variant.py);
          const file = join(root, "variant", "pt_distill.recspec");
          mkdirSync(join(root, "variant"), { recursive: true });
          writeFileSync(file, text);
          for (const f of generatePytorch(compileSpec(file, diskHost).ir!)) writeFileSync(join(variant.py, f.name), f.text);
        }
        const ts = await typescriptModels(pkg.dir, text);
        const student = ts.student(ts.teacher);
        variables.set(transform, student.params.variables().size);
        const expected = await writeFirstBatch(
          student,
          variant,
          { training: true, rng: new Rng(1) },
          join(root, `expected-${transform.split("(")[0]}`),
          TEACHER,
        );
        student.dispose();
        ts.teacher.dispose();
        cases.push({ package: variant.py, prepared: pkg.prepared, expected, runs: variant === pkg ? [join(root, "one"), join(root, "ddp")] : [] });
      }
      sh(pkg.py, python!, ["train.py", "--data", pkg.prepared, "--run", join(root, "one")]);
      await trainOnTwoProcesses(python!, pkg.py, pkg.prepared, join(root, "ddp"));
      const reports = parityReports(python!, cases);
      return { variables, reports: new Map(TRANSFORMS.map((t, i) => [t, reports[i]])) };
    })();
    return checked;
  }

  beforeAll(async () => {
    await useCpuBackend();
    root = mkdtempSync(join(tmpdir(), "pytorch-distill-"));
    pkg = await preparedPackage(join(root, "full"), "pt_distill", SPEC);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("hands over the student network's and the teacher's initial weights", async () => {
    const ts = await typescriptModels(pkg.dir, SPEC);
    const student = ts.student(ts.teacher);
    for (const [model, name] of [
      [ts.teacher, "teacher"],
      [student, "student"],
    ] as const) {
      const weights = preparedWeights(pkg, name);
      expect(weights.size).toBe(model.params.variables().size);
      for (const [w, v] of model.params.variables()) expect(Array.from(weights.get(w)!), `${name} ${w}`).toEqual(Array.from(v.dataSync()));
    }
    expect(pkg.manifest.models.student.type).toBe("distill");
    student.dispose();
    ts.teacher.dispose();
  });

  it.each(TRANSFORMS)("gives the same loss, gradients and scores on the first batch (1e-5): teacher_transform = %s", async (transform) => {
    const { variables: counts, reports } = await checkedOnce();
    const variables = counts.get(transform)!;
    const report = reports.get(transform)!;
    console.log(`PyTorch vs TypeScript, ${transform}: ${JSON.stringify({ ...report, weights_diff: undefined })}`);
    expectFirstBatchAgrees(report, variables);
  });

  it("trains teacher then student to the TypeScript losses and metrics, and DDP on 2 processes as one", async () => {
    const ts = await typescriptModels(pkg.dir, SPEC);
    const train = (name: string) => pkg.ir.blocks.find((b) => b.name === name)!.train as never;
    // As the generated train.ts asks: each length-bucketed batch counts by its target positions.
    const options = (dir: string, name: string) => ({
      runDir: join(root, dir),
      log: () => undefined,
      progressStream: false as const,
      weighBatchesByTargets: weighsBatchesByTargets(pkg.ir.blocks.find((b) => b.name === name)!),
    });
    await trainModel(ts.teacher, ts.data, train("teacher"), options("ts-teacher", "teacher"));
    const student = ts.student(ts.teacher);
    await trainModel(student, ts.data, train("student"), options("ts-student", "student"));
    const result: EvaluationResult = await evaluateModel(student, ts.data, pkg.ir.evaluations[0]);
    student.dispose();
    ts.teacher.dispose();

    // train.py's runs in one process and in two, and the checks on them (the "full" case is this spec's).
    const { reports } = await checkedOnce();
    sh(pkg.py, python!, ["evaluate.py", "--data", pkg.prepared, "--run", join(root, "one")]);

    // The student's loss at every step, distillation term included, as the TypeScript trainer logged it.
    const losses = (file: string) =>
      readFileSync(file, "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { name: string; value: number })
        .filter((row) => row.name === "loss")
        .map((row) => row.value);
    const tsLosses = losses(join(root, "ts-student", "metrics.jsonl"));
    const torchLosses = losses(join(root, "one", "student", "metrics.jsonl"));
    expect(torchLosses.length).toBe(tsLosses.length);
    const lossGap = Math.max(...tsLosses.map((l, i) => Math.abs(l - torchLosses[i])));
    console.log(`distill: ${tsLosses.length} student steps, largest loss gap ${lossGap}`);
    expect(lossGap).toBeLessThan(1e-4);

    const [torchResult] = JSON.parse(readFileSync(join(root, "one", "results.json"), "utf8")) as EvaluationResult[];
    expect(torchResult.rows.map((r) => `${r.metric} ${r.slice} ${r.n}`)).toEqual(result.rows.map((r) => `${r.metric} ${r.slice} ${r.n}`));
    result.rows.forEach((r, i) => {
      const t = torchResult.rows[i];
      expect(r.value).toBeGreaterThanOrEqual(t.low);
      expect(r.value).toBeLessThanOrEqual(t.high);
      expect(t.value).toBeGreaterThanOrEqual(r.low);
      expect(t.value).toBeLessThanOrEqual(r.high);
    });

    const report = reports.get("full")!;
    expect(report.weights_moved).toBeGreaterThan(1e-3);
    // Every weight as one process trained it, but the attention key biases: softmax cancels them, so
    // their gradients are rounding noise that Adam scales to steps of ~lr (see sasrec-parity).
    const [ddp] = report.weights_diff!;
    console.log(`DDP against one process: ${JSON.stringify(ddp)}`);
    expect(Object.keys(ddp).length).toBe(report.parameters);
    for (const [name, diff] of Object.entries(ddp)) if (!name.endsWith("key.bias")) expect(diff, name).toBeLessThan(1e-5);
  });
});
