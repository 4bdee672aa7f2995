// Training steps side by side with PyTorch, both measured in turn so both see the same machine load:
// per case, `rounds` times, `steps` of ours (the native variant, else wasm with the training kernels)
// then `steps` of the same step in PyTorch (bench/torch/train_cases.py --serve, 2 threads, malloc
// keeping freed memory as bench/lib/torch.ts runs it). Gives per case each side's median
// examples/s over all its steps and the median of the per-round ratios (ours / PyTorch), as a
// Markdown table on stdout and bench/results/train-vs-torch.json, with each side's process CPU time
// per example (all its threads; spinning threads count too). Every case of bench/cases/train.ts
// except TIGER at paper size (add it with --only=train/tiger). Not a test.
// --threads=1 runs both sides on one thread (OpenBLAS and the native kernels that split work in two;
// PyTorch's intra-op pool): on a machine other jobs load, a second thread mostly waits for a core,
// and how much each side loses to that says little about either.
// Run: npx tsx bench/train-vs-torch.ts [--rounds=3] [--steps=5] [--threads=2] [--only=SUBSTRING,…] [--no-native]
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { createInterface } from "node:readline";
import { TRAIN_CASES } from "./cases/train.js";
import { quantile, timeRuns } from "./lib/measure.js";
import { torchEnv } from "./lib/torch.js";
import { nativeMatmulDescription, useVariant, type Variant } from "./lib/variants.js";

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const rounds = flag("rounds", 3);
const steps = flag("steps", 5);
const threads = flag("threads", 2);
const only = (args.find((a) => a.startsWith("--only="))?.slice("--only=".length) ?? "").split(",");

// OpenBLAS reads its thread count once, when the addon loads: set it first (both sides).
process.env.OPENBLAS_NUM_THREADS = String(threads);
process.env.RECSPEC_BENCH_THREADS = String(threads);
let variant: Variant = "wasm-patched";
if (!args.includes("--no-native") && (await useVariant("native")) === undefined) variant = "native";
else await useVariant("wasm-patched");

// The PyTorch side: one process answering "CASE STEPS" with the steps' seconds.
const python = spawn("/usr/bin/python3", ["bench/torch/train_cases.py", "--serve"], {
  env: { ...torchEnv(), OMP_NUM_THREADS: String(threads) },
  stdio: ["pipe", "pipe", "inherit"],
});
const answers = createInterface({ input: python.stdout })[Symbol.asyncIterator]();
interface TorchAnswer {
  seconds: number[];
  /** Process CPU seconds per step (all threads). */
  cpu: number;
  examples: number;
  config: string;
}
async function torchSeconds(name: string, n: number): Promise<TorchAnswer> {
  python.stdin.write(`${name} ${n}\n`);
  const line = await answers.next();
  if (line.done === true) throw new Error("bench/torch/train_cases.py --serve stopped (is torch installed for /usr/bin/python3?)");
  return JSON.parse(line.value) as TorchAnswer;
}

interface Row {
  case: string;
  config: string;
  ours: number;
  torch: number;
  ratio: number;
  roundRatios: number[];
  /** Process CPU ms per example (all threads), median over rounds: less sensitive to load than time. */
  oursCpu: number;
  torchCpu: number;
}

const median = (xs: number[]) =>
  quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );
const started = performance.now();
const rows: Row[] = [];
for (const c of TRAIN_CASES) {
  // TIGER at paper size takes minutes per round on 2 cores: only when asked for by --only=train/tiger.
  if (!only.some((o) => c.name.includes(o)) || (c.name === "train/tiger" && !only.includes("train/tiger"))) continue;
  const step = c.build(variant, false);
  try {
    // Warm-up: variables, optimizer slots, kernels, the JIT; as many steps as the PyTorch side takes.
    for (let i = 0; i < 3; i++) await step.step();
    const ours: number[] = [];
    const theirs: number[] = [];
    const roundRatios: number[] = [];
    const oursCpu: number[] = [];
    const torchCpu: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const cpu0 = process.cpuUsage();
      const mine = (await timeRuns(() => step.step(), { warmup: 0, repeats: steps })).map((s) => step.examples / s);
      const cpu = process.cpuUsage(cpu0);
      oursCpu.push((cpu.user + cpu.system) / 1000 / mine.length / step.examples);
      const t = await torchSeconds(c.name, steps);
      torchCpu.push((t.cpu * 1000) / t.examples);
      const torch = t.seconds.map((s) => t.examples / s);
      ours.push(...mine);
      theirs.push(...torch);
      roundRatios.push(median(mine) / median(torch));
      console.error(`  ${c.name} round ${r + 1}: ${median(mine).toFixed(0)} vs torch ${median(torch).toFixed(0)} examples/s`);
    }
    rows.push({
      case: c.name,
      config: step.config,
      ours: median(ours),
      torch: median(theirs),
      ratio: median(roundRatios),
      roundRatios,
      oursCpu: median(oursCpu),
      torchCpu: median(torchCpu),
    });
  } finally {
    step.dispose();
  }
}
python.stdin.end();

const load = os.loadavg()[0];
const fmt = (x: number) => (x >= 100 ? Math.round(x).toLocaleString("en-US") : x.toFixed(1));
console.log(`| case | recspec (${variant}) | PyTorch | recspec / PyTorch (rounds) | CPU µs per example, recspec / PyTorch |\n|---|---|---|---|---|`);
for (const r of rows) {
  const rounds = r.roundRatios.map((x) => x.toFixed(2)).join(", ");
  const cpu = `${(r.oursCpu * 1000).toFixed(0)} / ${(r.torchCpu * 1000).toFixed(0)}`;
  console.log(`| ${r.case} | ${fmt(r.ours)} | ${fmt(r.torch)} | ${r.ratio.toFixed(2)}× (${rounds}) | ${cpu} |`);
}
const seconds = (performance.now() - started) / 1000;
console.log(
  `\nexamples/s, medians of ${rounds} rounds × ${steps} steps per side; ${nativeMatmulDescription() ?? variant}; ${seconds.toFixed(0)} s; load average at the end ${load.toFixed(1)} on ${os.availableParallelism()} CPUs`,
);
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/train-vs-torch.json", JSON.stringify({ variant, threads, rounds, steps, load, rows }, null, 2) + "\n");
