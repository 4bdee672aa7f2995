// Phase 4, code generation: IR → the files of generated/<spec>/, deterministic and formatted.
// Runs only on IR that passed every check and the schema.
import * as prettier from "prettier";
import type { IR } from "../ir.js";
import { emit, type EmittedFile } from "./emit.js";
import { plan } from "./plan.js";

export type { EmittedFile } from "./emit.js";

const PRETTIER: prettier.Options = { parser: "typescript", printWidth: 100, trailingComma: "all" };

export async function generate(ir: IR): Promise<EmittedFile[]> {
  return emit(plan(ir), (text) => prettier.format(text, PRETTIER));
}
