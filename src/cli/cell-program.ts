// The program of one experiment cell: the cell's own IR compiled to TypeScript (never the base
// program with swapped settings), written once under .cache/recspec/generated/<spec>-cell-<hash>/
// (the hash of the cell's IR, so identical cells share a folder) and imported. Takes the cell's IR;
// gives the program's cell entry point.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { generate } from "../compiler/codegen/index.js";
import type { IR } from "../ir/index.js";
import type { EvaluationResult } from "../runtime/pipeline/evaluate-model.js";
import type { Run } from "../runtime/program/run.js";
import { writeProgram } from "./emit-program.js";
import { resolveRuntimeHere } from "./runtime-resolver.js";

export interface CellProgram {
  /** Trains every block of the cell from scratch in `run` and runs the cell's evaluations. */
  trainAndEvaluate(run: Run): Promise<EvaluationResult[]>;
}

export async function cellProgram(ir: IR, cacheRoot = join(".cache", "recspec", "generated")): Promise<{ dir: string; program: CellProgram }> {
  const hash = createHash("sha256").update(JSON.stringify(ir)).digest("hex").slice(0, 12);
  const dir = join(cacheRoot, `${ir.spec}-cell-${hash}`);
  // writeProgram writes index.ts last: a folder that has it is complete.
  if (!existsSync(join(dir, "index.ts"))) writeProgram(dir, await generate(ir));
  resolveRuntimeHere();
  const program = (await import(pathToFileURL(resolve(dir, "index.ts")).href)) as CellProgram;
  return { dir, program };
}
