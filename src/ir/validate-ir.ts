// Validates an IR document against ir.schema.json with the validator compiled at build time.
import type { IR } from "./ir.js";
import validate from "./ir-validator.generated.js";

export interface IrValidation {
  readonly valid: boolean;
  /** `path: message` for each violation, empty when valid. */
  readonly errors: string[];
}

export function validateIr(ir: unknown): IrValidation {
  const valid = validate(ir);
  const errors = (validate.errors ?? []).map((e) => `${e.instancePath || "/"}: ${e.message ?? "invalid"}`);
  return { valid, errors: valid ? [] : errors };
}

export function assertValidIr(ir: IR): IR {
  const result = validateIr(ir);
  if (!result.valid) throw new Error(`internal error: the compiler emitted IR that breaks ir.schema.json:\n${result.errors.join("\n")}`);
  return ir;
}
