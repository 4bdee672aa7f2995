// `recspec report RUN` on run folders written by hand (no training, no Python): a PyTorch package's
// run (run.json with target pytorch, results.json with paired differences and a row without an
// interval, metrics.jsonl, ir.json) gives the report with its device, notes, protocol, metric
// cells, difference cells and configuration; RUN may be a folder, SPEC/RUN-ID or RUN-ID; a torn
// results.json, a folder that is not a run and a missing argument are the user's mistakes.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import { diskHost } from "../../src/cli/host.js";
import type { CommandIO } from "../../src/cli/io.js";
import { compileSpec } from "../../src/compiler/compile.js";
import { irHash, recordedIr } from "../../src/runtime/runs/manifest.js";

const root = mkdtempSync(join(tmpdir(), "recspec-report-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function recspec(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CommandIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false, cwd: root };
  const status = await main(argv, io);
  return { status, stdout, stderr };
}

const ir = compileSpec(resolve("test/fixtures/specs/tiny.recspec"), diskHost).ir!;

/** A finished PyTorch run of spec `tiny` as train.py and evaluate.py leave it. */
function pytorchRun(id: string): string {
  const dir = join(root, "runs", "tiny", id);
  mkdirSync(join(dir, "seq"), { recursive: true });
  const attempt = { resume: false, pid: 1, host: "elsewhere", backend: "pytorch", status: "complete" };
  writeFileSync(
    join(dir, "run.json"),
    JSON.stringify({
      format: "recspec-run",
      version: 1,
      id,
      spec: "tiny",
      specFile: null,
      specText: null,
      irHash: irHash(ir),
      overrides: [],
      recspec: "0.1.0",
      backend: "pytorch",
      matmul: "cuda (NVIDIA H100)",
      seeds: { seq: 0 },
      stage: "train",
      status: "complete",
      startedAt: "2026-12-07T05:00:00.000Z",
      endedAt: "2026-12-07T05:01:00.000Z",
      attempts: [
        { ...attempt, stage: "train", startedAt: "2026-12-07T05:00:00.000Z", endedAt: "2026-12-07T05:00:50.000Z" },
        { ...attempt, stage: "eval", startedAt: "2026-12-07T05:00:55.000Z", endedAt: "2026-12-07T05:01:00.000Z" },
      ],
      target: "pytorch",
      device: "cuda (NVIDIA H100)",
      torch: "2.4.0",
      processes: 8,
      command: "python3 train.py --data prepared/tiny",
    }),
  );
  writeFileSync(join(dir, "ir.json"), JSON.stringify(recordedIr(ir), null, 2));
  const log = [
    { step: 1, epoch: 0, split: "train", name: "loss", value: 3.4 },
    { step: 2, epoch: 0, split: "train", name: "loss", value: 3.1 },
    { step: 2, epoch: 0, split: "val", name: "val_loss", value: null },
    { step: 3, epoch: 1, split: "train", name: "loss", value: 2.9 },
  ];
  writeFileSync(join(dir, "seq", "metrics.jsonl"), log.map((r) => `${JSON.stringify({ ...r, time: 1796600000000 + r.step })}\n`).join(""));
  const row = (metric: string, slice: string, n: number, value: number, low: number | null, high: number | null, base: number) => ({
    metric,
    slice,
    n,
    value,
    low,
    high,
    baseline: { value: base, low: low === null ? null : base - 0.01, high: high === null ? null : base + 0.01 },
    baselines: [{ name: "popularity", value: base, low: low === null ? null : base - 0.01, high: high === null ? null : base + 0.01 }],
    differences: [{ name: "popularity", mean: value - base, low: low === null ? null : value - base - 0.02, high: high === null ? null : value - base + 0.02 }],
  });
  const results = [
    {
      model: "seq",
      dataset: "synth",
      split: "test",
      candidates: "full",
      protocol: "full catalogue (32 items), history excluded, leave_last_out split",
      excludeHistory: true,
      splitType: "leave_last_out",
      examples: 300,
      baselineNames: ["popularity"],
      rows: [row("hr@10", "all", 300, 0.5123, 0.45, 0.57, 0.3), row("ndcg@10", "all", 300, 0.25, null, null, 0.3)],
    },
  ];
  writeFileSync(join(dir, "results.json"), JSON.stringify(results));
  return dir;
}

describe("recspec report RUN", () => {
  it("renders a PyTorch package's run from its folder", async () => {
    const dir = pytorchRun("2026-12-07T05-00-00Z");
    const r = await recspec("report", "tiny/2026-12-07T05-00-00Z");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${join(dir, "report.html")}\n`);
    expect(r.stderr).toContain(
      "report of tiny/2026-12-07T05-00-00Z (complete; pytorch (cuda (NVIDIA H100), torch 2.4.0, 8 processes)): 2 result rows, 4 training log rows",
    );
    const html = readFileSync(join(dir, "report.html"), "utf8");
    expect(html).toContain("<dd>pytorch (cuda (NVIDIA H100), torch 2.4.0, 8 processes)</dd>");
    expect(html).toContain("<dd>3 steps over 2 epochs</dd>");
    expect(html).toContain("trained by the PyTorch package recspec 0.1.0 generated: python3 train.py --data prepared/tiny");
    expect(html).toContain("seq: 3 steps, 2 epochs");
    expect(html).toContain("full catalogue (32 items), history excluded, leave_last_out split");
    // hr@10: the model's and the baseline's intervals, and the paired difference (+.2123 ± .02), better.
    expect(html).toContain("0.5123 [0.4500, 0.5700]");
    expect(html).toContain("0.3000 [0.2900, 0.3100]");
    expect(html).toMatch(/<td class="num better"[^>]*>\+0\.2123 \[\+0\.1923, \+0\.2323\]<\/td>/);
    // ndcg@10 has no interval: the difference of the means alone.
    expect(html).toMatch(/<td class="num">−0\.0500<\/td>/);
    expect(html).toContain("train.optimizer");

    // The same page whether the run is named by folder or by id alone.
    const byFolder = await recspec("report", dir, "--out", join(root, "again.html"));
    expect(byFolder.status).toBe(0);
    const byId = await recspec("report", "2026-12-07T05-00-00Z", "--out", join(root, "by-id.html"));
    expect(byId.status).toBe(0);
    expect(readFileSync(join(root, "again.html"), "utf8")).toBe(html);
    expect(readFileSync(join(root, "by-id.html"), "utf8")).toBe(html);
  });

  it("is exit 1 for a torn results.json or a folder that is not a run, and a usage error without RUN", async () => {
    const dir = pytorchRun("2026-12-07T06-00-00Z");
    writeFileSync(join(dir, "results.json"), '[{"model": "seq", "rows": [');
    const torn = await recspec("report", dir);
    expect(torn.status).toBe(1);
    expect(torn.stderr).toMatch(/^error: .*2026-12-07T06-00-00Z: .*JSON/m);

    mkdirSync(join(root, "runs", "tiny", "notes"));
    const notes = await recspec("report", join(root, "runs", "tiny", "notes"));
    expect(notes.status).toBe(1);
    expect(notes.stderr).toContain("is not a run");

    const none = await recspec("report");
    expect(none.status).toBe(2);
    expect(none.stderr).toContain("give one run");
  });
});
