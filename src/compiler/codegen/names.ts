// Allocates TypeScript identifiers for spec names. Spec names are already identifier-shaped; this
// adds a role suffix (`beautyData`, `buildSasrec`) so no name can collide with a keyword, a runtime
// import or another block's identifier, and disambiguates with a counter if two still meet. Every
// identifier of a generated program that comes from a spec is made here, and only from a name the
// lexer accepted (`[A-Za-z_][A-Za-z0-9_]*`); anything else is an internal error, never code.

const RESERVED = new Set([
  // Identifiers the generated files declare or import themselves.
  "options",
  "run",
  "main",
  "spec",
  "ir",
  "models",
  "data",
  "results",
  "train",
  "evaluate",
  "recommend",
  "restore",
  "trainAndEvaluate",
  "specEvaluations",
  "Trained",
  "trained",
  "evaluations",
  // Runtime names emit.ts imports (the blocks' own runtime imports are reserved by plan.ts).
  "finishRun",
  "runIfMain",
  "startRun",
  "evaluateBlock",
  "evaluateRankingBlock",
  "EvaluationResult",
  "IREvaluation",
  "Run",
  "RunOptions",
]);

/** Words that cannot name a variable or parameter in TypeScript (strict mode and modules). */
const KEYWORDS = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await arguments eval undefined NaN Infinity"
  ).split(" "),
);

/** A spec name as the lexer reads it: the only text identifiers are made from. */
const SPEC_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `name`, after checking it is a spec name (an internal error otherwise: the checker let it through). */
export function checkedName(name: string): string {
  if (!SPEC_NAME.test(name)) throw new Error(`internal: ${JSON.stringify(name)} is not a spec name and cannot become an identifier`);
  return name;
}

/** `id`, after checking it is an identifier that is no keyword. */
function checkedIdentifier(id: string): string {
  if (!IDENTIFIER.test(id) || KEYWORDS.has(id)) throw new Error(`internal: ${JSON.stringify(id)} is not a usable identifier`);
  return id;
}

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
    const base = checkedIdentifier(make(checkedName(name)));
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
