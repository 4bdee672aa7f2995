// Phase 4, code generation: IR → the files of generated/<spec>/, deterministic and formatted.
// Runs only on IR that passed every check and the schema.
import * as prettier from "prettier";
import type { IR } from "../../ir/index.js";
import { stampContentHash } from "./content-hash.js";
import { emit, type EmittedFile } from "./emit.js";
import { plan } from "./plan.js";

export type { EmittedFile } from "./emit.js";

const PRETTIER: prettier.Options = { parser: "typescript", printWidth: 100, trailingComma: "all" };

/** The formatted files, each stamped with its content hash so hand edits can be told apart later. */
export async function generate(ir: IR): Promise<EmittedFile[]> {
  const files = await emit(plan(ir), (text) => prettier.format(text, PRETTIER));
  return files.map((file) => ({ ...file, text: stampContentHash(file.name, file.text) }));
}
