// Example specs trained for a few steps at a tiny batch with `recspec train` on webgpu
// and on wasm: the per-step training losses must agree. The CLI runs in child processes, so the
// GPU driver never loads into the test runner. Which specs: quickstart by default (CI time: each
// spec costs two CLI starts and its data loading); RECSPEC_WEBGPU_SPECS=all for every spec in
// specs/, or a comma-separated list of names. Skipped, saying why, where no adapter can be made.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
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

/** Blocks with a `train { … }` body: each gets the tiny budget. */
function trainedBlocks(specFile: string): string[] {
  const text = readFileSync(specFile, "utf8");
  const names: string[] = [];
  const block = /^(?:model|distill)\s+(\w+)\s*=/gm;
  for (let m = block.exec(text); m !== null; m = block.exec(text)) names.push(m[1]);
  return names;
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

describe.skipIf(skip !== null)("example specs train the same on webgpu as on wasm", () => {
  for (const spec of chosenSpecs()) {
    it(
      spec,
      () => {
        const file = path.join(REPO, "specs", `${spec}.recspec`);
        const sets = trainedBlocks(file).flatMap((b) => ["--set", `${b}.train.steps=${STEPS}`, "--set", `${b}.train.batch=${BATCH}`]);
        const run = (backend: string): Map<string, number> => {
          const runs = path.join(scratch, `${spec}-${backend}`);
          execFileSync(process.execPath, ["bin/recspec.js", "train", file, "--backend", backend, "--runs", runs, ...sets], {
            cwd: REPO,
            env: webGpuEnv(),
            stdio: ["ignore", "ignore", "pipe"],
          });
          return losses(runs);
        };
        const gpu = run("webgpu");
        const cpu = run("wasm");
        expect(gpu.size).toBeGreaterThan(0);
        expect([...gpu.keys()].sort()).toEqual([...cpu.keys()].sort());
        for (const [key, want] of cpu) {
          // float32 on both, summed in different orders: a few ULPs per op, compounding over steps.
          expect(Math.abs((gpu.get(key) as number) - want), key).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(want)));
        }
      },
      600_000,
    );
  }
});
