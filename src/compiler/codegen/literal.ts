// Prints IR values as TypeScript literals. Every string or key from a spec passes through here and
// comes out as data: strings are JSON-escaped, keys that are not plain identifiers are quoted, and
// `__proto__` becomes a computed key so it stays an ordinary property.
import type { Value } from "../check/types.js";

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function key(k: string): string {
  if (k === "__proto__") return `["__proto__"]`;
  return PLAIN_KEY.test(k) ? k : JSON.stringify(k);
}

/** A TypeScript expression that evaluates to `value`. */
export function literal(value: Value | undefined): string {
  if (value === undefined || value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`internal: non-finite number ${value} in IR`);
    return Object.is(value, -0) ? "0" : String(value);
  }
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(", ")}]`;
  const entries = Object.entries(value as Record<string, Value>);
  if (entries.length === 0) return "{}";
  return `{ ${entries.map(([k, v]) => `${key(k)}: ${literal(v)}`).join(", ")} }`;
}
