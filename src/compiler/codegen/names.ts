// Allocates TypeScript identifiers for spec names. Spec names are already identifier-shaped; this
// adds a role suffix (`beautyData`, `buildSasrec`) so no name can collide with a keyword, a runtime
// import or another block's identifier, and disambiguates with a counter if two still meet.

const RESERVED = new Set([
  // Identifiers the generated files declare or import themselves.
  "options", "run", "main", "spec", "ir", "models", "data", "results", "train", "evaluate", "recommend",
]);

/** Words that cannot name a variable or parameter in TypeScript (strict mode and modules). */
const KEYWORDS = new Set(
  ("break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await arguments eval undefined NaN Infinity")
    .split(" "),
);

/** A variable name for a spec name: camelCase, with `_` appended when that is a keyword. */
export function variableName(name: string): string {
  const c = camel(name);
  return KEYWORDS.has(c) ? `${c}_` : c;
}

export function camel(name: string): string {
  const parts = name.split("_").filter((p) => p.length > 0);
  if (parts.length === 0) return "block";
  return parts.map((p, i) => (i === 0 ? p[0].toLowerCase() + p.slice(1) : p[0].toUpperCase() + p.slice(1))).join("");
}

export function pascal(name: string): string {
  const c = camel(name);
  return c[0].toUpperCase() + c.slice(1);
}

export class Names {
  private readonly taken = new Set<string>(RESERVED);
  private readonly byKey = new Map<string, string>();

  /** A unique identifier for (`role`, spec name), stable across calls. */
  get(role: string, name: string, make: (name: string) => string): string {
    const k = `${role}:${name}`;
    const existing = this.byKey.get(k);
    if (existing) return existing;
    const base = make(name);
    let id = base;
    for (let i = 2; this.taken.has(id); i++) id = `${base}${i}`;
    this.taken.add(id);
    this.byKey.set(k, id);
    return id;
  }

  /** Claims identifiers (runtime imports) so spec names never take them. */
  reserve(...ids: string[]): void {
    for (const id of ids) this.taken.add(id);
  }
}
