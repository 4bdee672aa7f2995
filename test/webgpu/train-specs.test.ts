// Example specs run (trained for a few steps at a tiny size, then evaluated) with `recspec run`
// on webgpu and on wasm: the per-step training losses and the evaluation metrics must agree. The
// CLI runs in child processes, so the GPU driver never loads into the test runner. Tiny size:
// amazon data cut by a 15-core, synthetic data to 300 users, content vectors of 16 dimensions,
// one RQ-VAE epoch (random codebooks, no dead-code reset), 3 steps of 16 examples per model, IDW in
// one short reweighting. Compared: RQ-VAE epoch losses, Semantic IDs, training losses, metrics.
// Which specs: quickstart by default, about 25 s for both backends (lavapipe runs a step in
// seconds and compiles each shader on first use, so a bigger spec takes up to a minute there,
// every spec about 6.5 minutes);
// RECSPEC_WEBGPU_SPECS=all for every spec in specs/, or a comma-separated list of names.
// Skipped, saying why, where no adapter can be made.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO, webGpuEnv } from "./lavapipe-env.js";

const STEPS = 3;
const BATCH = 16;

function chosenSpecs(): string[] {
  const all = readdirSync(path.join(REPO, "specs"))
    .filter((f) => f.endsWith(".recspec"))
    .map((f) => f.replace(/\.recspec$/, ""));
  const wanted = process.env.RECSPEC_WEBGPU_SPECS ?? "quickstart";
  return wanted === "all" ? all : wanted.split(",").filter((s) => all.includes(s));
}

/** The `--set` options that make a spec tiny: its blocks found by kind in the spec's text. */
function tinySets(specFile: string): string[] {
  const text = readFileSync(specFile, "utf8");
  const sets: string[] = [];
  const each = (pattern: RegExp, attributes: string[]) => {
    for (const m of text.matchAll(pattern)) for (const a of attributes) sets.push("--set", `${m[1]}.${a}`);
  };
  // IDW's phases train by epochs (train.steps does not reach them, and the calibration runs 10
  // epochs where the block counts steps): an IDW model trains one epoch of 512 per phase (10
  // steps on 300 synthetic users), one reweighting, a KDE of 100 draws. The whole `idw(…)` is
  // rewritten because `--set mur.weighting.iterations=1` is refused ("`none` has no attribute").
  const idw = new Map<string, string>();
  for (const m of text.matchAll(/^model\s+(\w+)\s*=[^]*?^\s*weighting\s*=\s*idw\(([^)\n]*)\)/gm)) {
    if (!m[0].slice(1).includes("\nmodel ")) idw.set(m[1], m[2]);
  }
  for (const m of text.matchAll(/^(?:model|distill)\s+(\w+)\s*=/gm)) {
    const args = idw.get(m[1]);
    if (args === undefined) {
      sets.push("--set", `${m[1]}.train.steps=${STEPS}`, "--set", `${m[1]}.train.batch=${BATCH}`);
      continue;
    }
    const kept = args
      .split(",")
      .map((a) => a.trim())
      .filter((a) => a !== "" && !/^(iterations|epochs|sample)\s*:/.test(a));
    sets.push("--set", `${m[1]}.train.epochs=1`, "--set", `${m[1]}.train.batch=512`);
    sets.push("--set", `${m[1]}.weighting=idw(${[...kept, "iterations: 1", "epochs: 1", "sample: 100"].join(", ")})`);
  }
  each(/^dataset\s+(\w+)\s*=\s*amazon\(/gm, ["k_core=15"]);
  each(/^dataset\s+(\w+)\s*=\s*synthetic\b/gm, ["users=300"]);
  each(/^features\s+(\w+)\s*=\s*content_vectors\(/gm, ["dim=16"]);
  each(/^quantizer\s+(\w+)\s*=\s*rqvae\(/gm, ["train.epochs=1", "train.batch=64", "init=random", "dead_code_reset=false"]);
  // An RQ-VAE starts from random codebooks and keeps its dead codes. With k-means, a first batch
  // of 64 into 256 codes makes every point its own centroid, so the codebook gradients are zero but
  // for rounding, and Adam turns that rounding into steps of the learning rate's size, which differ
  // between backends (451 of sid_ranking's 498 items got other first codes); with random codebooks
  // but dead-code reset, 22 still did. So set, the codes are equal on both. A generative model still
  // decodes the spec's random Semantic IDs where it has them (the point there is the seq2seq
  // training and the beam search).
  const random = /^quantizer\s+(\w+)\s*=\s*random_ids\(/m.exec(text);
  if (random !== null) for (const m of text.matchAll(/^model\s+(\w+)\s*=\s*generative\(/gm)) sets.push("--set", `${m[1]}.ids=${random[1]}`);
  return sets;
}

/** "model/slice/metric" → value and users of every evaluation in a run folder's results.json files. */
function metrics(runs: string): Map<string, { value: number; n: number }> {
  const out = new Map<string, { value: number; n: number }>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name === "results.json") {
        const results = JSON.parse(readFileSync(p, "utf8")) as { model: string; rows: { metric: string; slice: string; value: number; n: number }[] }[];
        for (const r of results) for (const row of r.rows) out.set(`${r.model}/${row.slice}/${row.metric}`, { value: row.value, n: row.n });
      }
    }
  };
  walk(runs);
  return out;
}

/** "quantizer epoch" → loss of every RQ-VAE epoch a run's log reports. */
function quantizerLosses(log: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of log.matchAll(/^(\w+) epoch (\d+)\/\d+: loss ([\d.]+) \(recon ([\d.]+)/gm)) {
    out.set(`${m[1]} ${m[2]}`, Number(m[3]));
    out.set(`${m[1]} ${m[2]} reconstruction`, Number(m[4]));
  }
  return out;
}

/** quantizer → its Semantic-ID table's codes, from every semantic-ids.json under a run folder. */
function semanticIds(runs: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name === "semantic-ids.json") out.set(path.basename(dir), (JSON.parse(readFileSync(p, "utf8")) as { codes: number[] }).codes);
    }
  };
  walk(runs);
  return out;
}

/** step → loss of every block's metrics.jsonl under a run folder, keyed "block@step". */
function losses(runs: string): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name === "metrics.jsonl") {
        for (const line of readFileSync(p, "utf8").split("\n")) {
          if (line.trim() === "") continue;
          const r = JSON.parse(line) as { step: number; split: string; name: string; value: number };
          if (r.split === "train" && r.name === "loss") out.set(`${path.relative(runs, dir).split(path.sep).slice(2).join("/")}@${r.step}`, r.value);
        }
      }
    }
  };
  walk(runs);
  return out;
}

const probe = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", PROBE()], { cwd: REPO, env: webGpuEnv(), encoding: "utf8" });
const skip = probe.stdout.trim() === "ok" ? null : probe.stdout.trim() || probe.stderr.trim().split("\n").at(-1) || "probe failed";
if (skip !== null) console.log(`webgpu spec training skipped: ${skip}`);

function PROBE(): string {
  return `import { probeWebGpu } from "./src/runtime/backend/webgpu-backend.ts"; const p = await probeWebGpu(); console.log(typeof p === "string" ? p : "ok");`;
}

const scratch = mkdtempSync(path.join(tmpdir(), "recspec-webgpu-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Why a spec cannot run here (its Amazon data is not in the repo), or null. */
function missingData(specFile: string): string | null {
  for (const m of readFileSync(specFile, "utf8").matchAll(/amazon\("([^"]+)",\s*name:\s*"([^"]+)"\)/g)) {
    const want = path.join(REPO, m[1], `${m[2]}.txt`);
    if (!existsSync(want)) return `${path.relative(REPO, want)} is absent (not bundled)`;
  }
  return null;
}

describe.skipIf(skip !== null)("example specs train and evaluate the same on webgpu as on wasm", () => {
  for (const spec of chosenSpecs()) {
    it(
      spec,
      () => {
        const file = path.join(REPO, "specs", `${spec}.recspec`);
        const missing = missingData(file);
        if (missing !== null) {
          console.log(`${spec}: skipped, ${missing}`);
          return;
        }
        const run = (backend: string) => {
          const runs = path.join(scratch, `${spec}-${backend}`);
          // The run's log (stderr) carries the RQ-VAE's epoch losses.
          const child = spawnSync(process.execPath, ["bin/recspec.js", "run", file, "--backend", backend, "--runs", runs, ...tinySets(file)], {
            cwd: REPO,
            env: webGpuEnv(),
            encoding: "utf8",
            maxBuffer: 64 * 1024 * 1024,
          });
          if (child.status !== 0) throw new Error(`recspec run ${spec} --backend ${backend} exited ${child.status}:\n${child.stderr.slice(-4000)}`);
          return { losses: losses(runs), metrics: metrics(runs), quantizers: quantizerLosses(child.stderr), codes: semanticIds(runs) };
        };
        const started = performance.now();
        const gpu = run("webgpu");
        const gpuSeconds = (performance.now() - started) / 1000;
        const cpu = run("wasm");
        const cpuSeconds = (performance.now() - started) / 1000 - gpuSeconds;
        // An RQ-VAE's epoch losses (from its log line; printed to 4 decimals) and the codes it gives.
        expect([...gpu.quantizers.keys()]).toEqual([...cpu.quantizers.keys()]);
        for (const [key, want] of cpu.quantizers)
          expect(Math.abs((gpu.quantizers.get(key) as number) - want), key).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(want)));
        expect(gpu.codes).toEqual(cpu.codes);
        expect(gpu.losses.size).toBeGreaterThan(0);
        expect([...gpu.losses.keys()].sort()).toEqual([...cpu.losses.keys()].sort());
        for (const [key, want] of cpu.losses) {
          // float32 on both, summed in different orders: a few ULPs per op, compounding over steps.
          expect(Math.abs((gpu.losses.get(key) as number) - want), key).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(want)));
        }
        expect(gpu.metrics.size).toBeGreaterThan(0);
        expect([...gpu.metrics.keys()].sort()).toEqual([...cpu.metrics.keys()].sort());
        // Rankings of nearly untrained models: a score that ties to a few ULPs may order two items
        // differently; that moves a metric by about one user's share of the slice (1/n), not more.
        let metricDiff = 0;
        for (const [key, want] of cpu.metrics) {
          const diff = Math.abs((gpu.metrics.get(key) as { value: number }).value - want.value);
          metricDiff = Math.max(metricDiff, diff);
          expect(diff, key).toBeLessThanOrEqual(Math.max(1e-3, 1 / want.n));
        }
        let lossDiff = 0;
        for (const [key, want] of cpu.losses) lossDiff = Math.max(lossDiff, Math.abs((gpu.losses.get(key) as number) - want) / Math.max(1, Math.abs(want)));
        console.log(
          `${spec}: webgpu ${gpuSeconds.toFixed(0)} s, wasm ${cpuSeconds.toFixed(0)} s; largest loss difference ${lossDiff.toExponential(1)} (relative), metric ${metricDiff.toExponential(1)}`,
        );
      },
      600_000,
    );
  }
});
