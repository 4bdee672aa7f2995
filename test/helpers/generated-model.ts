// Compiles a spec given as text and imports the model.ts the compiler generates for it, its
// "recspec/runtime" imports pointed at this checkout's src/runtime, so tests, benches and scripts
// run models exactly as generated programs hold them. Takes a file name and the spec text; gives
// the module's exports and the IR. Throws on compile errors (the message lists them).
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { generate } from "../../src/compiler/codegen/index.js";
import { compileSpec } from "../../src/compiler/compile.js";
import type { IR } from "../../src/ir/index.js";

export interface GeneratedModule {
  readonly exports: Record<string, unknown>;
  readonly ir: IR;
}

let root: string | null = null;
let serial = 0;

export async function importGeneratedModel(fileName: string, specText: string): Promise<GeneratedModule> {
  const result = compileSpec(fileName, { readFile: () => undefined }, { entryText: specText });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0 || result.ir === null) throw new Error(`${fileName} does not compile:\n${errors.map((d) => d.message).join("\n")}`);
  const model = (await generate(result.ir)).find((f) => f.name === "model.ts")!.text;
  root ??= mkdtempSync(join(tmpdir(), "generated-model-"));
  // A folder per program: each import is a fresh module, never a cached earlier one.
  const dir = join(root, String(serial++));
  mkdirSync(dir);
  const runtime = pathToFileURL(resolve(import.meta.dirname, "../../src/runtime/index.ts")).href;
  writeFileSync(join(dir, "model.ts"), model.replace(/from "recspec\/runtime"/g, `from ${JSON.stringify(runtime)}`));
  return { exports: (await import(pathToFileURL(join(dir, "model.ts")).href)) as Record<string, unknown>, ir: result.ir };
}
