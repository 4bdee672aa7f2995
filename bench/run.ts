// The benchmark suite (`npm run bench`; BENCH.md says what is measured). Takes flags:
//   --quick          fewer repeats and a smaller subset (under two minutes)
//   --only=PREFIX    only groups whose name starts with PREFIX (compile, data, matmul, eval, train, rqvae,
//                    decode, memory, lsp)
//   --compare-torch  also run bench/torch/train_cases.py and print the PyTorch/tfjs ratio
//   --no-native      leave the native OpenBLAS variant out
// Gives bench/results/<group>.json (one object per case) and a table on stdout. Not a test:
// nothing is asserted about speed.
import { mkdirSync, writeFileSync } from "node:fs";
import { compileGroup } from "./cases/compile.js";
import type { BenchContext, BenchGroup } from "./cases/context.js";
import { dataGroup, evalGroup } from "./cases/eval-data.js";
import { matmulGroup } from "./cases/matmul.js";
import { lspGroup } from "./cases/lsp.js";
import { memoryGroup } from "./cases/memory.js";
import { decodeGroup, rqvaeGroup } from "./cases/semantic-ids.js";
import { trainGroup } from "./cases/train.js";
import type { BenchResult } from "./lib/measure.js";
import { formatTable } from "./lib/table.js";
import { runTorch } from "./lib/torch.js";
import { nativeMatmulDescription, VARIANTS, type Variant } from "./lib/variants.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args.find((a) => a.startsWith("--only="))?.slice("--only=".length);
const noNative = args.includes("--no-native") || process.env.RECSPEC_NO_NATIVE === "1";

const variants: Variant[] = VARIANTS.filter((v) => !(noNative && v === "native") && !(quick && v === "cpu"));
const ctx: BenchContext = { quick, variants, log: (line) => console.error(`  ${line}`) };

const GROUPS: [string, BenchGroup][] = [
  ["compile", compileGroup],
  ["data", dataGroup],
  ["matmul", matmulGroup],
  ["eval", evalGroup],
  ["train", trainGroup],
  ["rqvae", rqvaeGroup],
  ["decode", decodeGroup],
  ["memory", memoryGroup],
  ["lsp", lspGroup],
];

const started = performance.now();
const all: BenchResult[] = [];
mkdirSync("bench/results", { recursive: true });
for (const [name, group] of GROUPS) {
  if (only !== undefined && !name.startsWith(only)) continue;
  console.error(`${name} ...`);
  const results = await group(ctx);
  writeFileSync(`bench/results/${name}.json`, JSON.stringify(results, null, 2) + "\n");
  all.push(...results);
}

if (args.includes("--compare-torch") && (only === undefined || only.startsWith("train"))) {
  const torch = runTorch(quick);
  if (typeof torch === "string") {
    console.error(`compare-torch skipped: ${torch}`);
  } else {
    writeFileSync("bench/results/torch.json", JSON.stringify(torch, null, 2) + "\n");
    for (const t of torch) {
      const ours = all.filter((r) => r.case === t.case && r.n > 0).sort((a, b) => b.median - a.median)[0];
      all.push(t);
      if (ours !== undefined)
        console.error(
          `  ${t.case}: torch ${t.median.toFixed(1)} vs ${ours.backend} ${ours.median.toFixed(1)} ${t.unit} (torch/tfjs ${(t.median / ours.median).toFixed(2)}×)`,
        );
    }
  }
}

console.log(formatTable(all));
const native = nativeMatmulDescription();
console.log(`\nnative: ${native ?? "not used"}; ${quick ? "--quick, " : ""}${((performance.now() - started) / 1000).toFixed(0)} s; results in bench/results/`);
for (const r of all) if (r.note !== undefined) console.log(`note: ${r.case} ${r.backend}: ${r.note}`);
