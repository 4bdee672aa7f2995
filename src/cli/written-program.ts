// A program folder written by `recspec compile SPEC --out DIR`, as `exec DIR --stage …` commands
// open it: the folder resolved against the working directory and its IR read back, or an
// InputError saying what is missing and how to write one.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { IR } from "../ir/index.js";
import { InputError } from "./io.js";

export function readWrittenProgram(folder: string, cwd: string): { dir: string; ir: IR } {
  const dir = resolve(cwd, folder);
  const irFile = join(dir, "ir.json");
  if (!existsSync(join(dir, "infer.ts")) || !existsSync(irFile)) {
    throw new InputError(`${folder} holds no generated program (no infer.ts or ir.json); write one with \`recspec compile SPEC --out ${folder}\``);
  }
  try {
    return { dir, ir: JSON.parse(readFileSync(irFile, "utf8")) as IR };
  } catch (error) {
    throw new InputError(`${join(folder, "ir.json")} is not the IR recspec wrote: ${error instanceof Error ? error.message : String(error)}`);
  }
}
