// compile/<spec>: parse + check + lower + codegen + prettier for each file in specs/, in-process and
// warm; compile/cold: `node bin/recspec.js check specs/tiger_beauty.recspec` as a whole process.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { generate } from "../../src/compiler/codegen/index.js";
import { compileSpec } from "../../src/compiler/compile.js";
import { msResult, timeRuns, type BenchResult } from "../lib/measure.js";
import type { BenchContext } from "./context.js";

const host = {
  readFile(file: string): string | undefined {
    try {
      return readFileSync(file, "utf8");
    } catch {
      return undefined;
    }
  },
};

export async function compileGroup(ctx: BenchContext): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const specs = readdirSync("specs")
    .filter((f) => f.endsWith(".recspec"))
    .sort();
  for (const spec of specs) {
    const file = path.join("specs", spec);
    const once = async () => {
      const { ir, diagnostics } = compileSpec(file, host);
      if (ir === null) throw new Error(`${file} does not compile: ${diagnostics.map((d) => d.message).join("; ")}`);
      await generate(ir);
    };
    const samples = await timeRuns(once, { warmup: ctx.quick ? 1 : 3, repeats: ctx.quick ? 5 : 20 });
    results.push(msResult({ case: `compile/${spec.replace(/\.recspec$/, "")}`, backend: "node", config: "parse+check+lower+codegen+prettier, warm" }, samples));
    ctx.log(`compile/${spec}: ${results.at(-1)!.median.toFixed(1)} ms`);
  }
  const cold = () => {
    const r = spawnSync(process.execPath, ["bin/recspec.js", "check", "specs/tiger_beauty.recspec"], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`recspec check failed: ${r.stderr}`);
  };
  const samples = await timeRuns(cold, { warmup: ctx.quick ? 0 : 1, repeats: ctx.quick ? 2 : 5 });
  results.push(msResult({ case: "compile/cold", backend: "node", config: "node bin/recspec.js check specs/tiger_beauty.recspec" }, samples));
  return results;
}
