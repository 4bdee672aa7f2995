// Prints IR values as TypeScript literals. Takes a value; gives an expression that evaluates to
// it. Every string, number and key from a spec passes through escape.ts on the way, so it comes
// out as data: a string cannot end its literal, a key cannot set a prototype.
import type { Value } from "../check/types.js";
import { numberLiteral, propertyKey, stringLiteral } from "./escape.js";

/** A TypeScript expression that evaluates to `value`. */
export function literal(value: Value | undefined): string {
  if (value === undefined || value === null) return "null";
  if (typeof value === "string") return stringLiteral(value);
  if (typeof value === "number") return numberLiteral(value);
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(", ")}]`;
  const entries = Object.entries(value as Record<string, Value>);
  if (entries.length === 0) return "{}";
  return `{ ${entries.map(([k, v]) => `${propertyKey(k)}: ${literal(v)}`).join(", ")} }`;
}
