// Renders docs/reference.md from the signature tables and the diagnostic code table: the language
// reference cannot drift from what the checker accepts. scripts/build-docs.ts writes it.
import { CODES } from "./diagnostics/codes.js";
import { ALL_SIGNATURES } from "./check/signatures/index.js";
import type { Signature, TypeSpec, Value } from "./check/types.js";
import { BLOCK_KINDS } from "./lexer.js";
import { TRAINING_RUNS_SECTION } from "./reference-training-runs.js";
import { DATA_FILES_SECTION } from "./reference-data-files.js";
import { DATA_OPTIONS_SECTION } from "./reference-data-options.js";
import { LIMITS_SECTION } from "./reference-limits.js";
import { ID_MODELS_SECTION } from "./reference-id-models.js";
import { evaluationSection } from "./reference-evaluation.js";

export function typeText(t: TypeSpec): string {
  switch (t.kind) {
    case "int":
    case "number": {
      const word = t.kind === "int" ? "integer" : "number";
      const n = t as { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean };
      if (n.min !== undefined && n.max !== undefined) return `${word} in ${n.minExclusive ? "(" : "["}${n.min}, ${n.max}${n.maxExclusive ? ")" : "]"}`;
      if (n.min !== undefined) return `${word} ${n.minExclusive ? ">" : "≥"} ${n.min}`;
      return word;
    }
    case "string":
      return "string";
    case "bool":
      return "`true` \\| `false`";
    case "enum":
      return t.values.map((v) => `\`${v}\``).join(" \\| ");
    case "ref":
      return `${t.blockKinds.join(" or ")}${t.member ? ` \`.${t.member}\`` : ""}`;
    case "option":
      return `[${t.family}](#${t.family.replace(/_/g, "-")})`;
    case "list":
      return `list of ${typeText(t.of)}`;
    case "metric":
      return t.allowLoss ? "metric or `loss`" : "metric";
    case "report":
      return "metric [`by` slice]";
    case "model_or_override":
      return "model, or `model { overrides }`";
    case "split":
      return "split (`data.test`)";
  }
}

export function valueText(v: Value | undefined): string {
  if (v === undefined) return "required";
  if (v === null) return "derived";
  if (typeof v === "object" && !Array.isArray(v) && "type" in v) {
    const { type, ...rest } = v as Record<string, Value>;
    const args = Object.entries(rest).map(([k, x]) => `${k}: ${JSON.stringify(x)}`);
    return `\`${type}${args.length ? `(${args.join(", ")})` : ""}\``;
  }
  return `\`${JSON.stringify(v)}\``;
}

function signatureSection(sig: Signature, level: string): string {
  const rows = sig.attributes.map(
    (a) => `| \`${a.name}\`${a.positional ? " (positional)" : ""} | ${typeText(a.type)} | ${valueText(a.default)} | ${a.doc.replace(/\|/g, "\\|")} |`,
  );
  const nested = sig.nested?.length ? `\n\nNested blocks: ${sig.nested.map((n) => `\`${n} { … }\` ([train](#train))`).join(", ")}.` : "";
  const table = rows.length ? `\n\n| attribute | type | default | meaning |\n|---|---|---|---|\n${rows.join("\n")}` : "\n\nNo attributes.";
  return `${level} \`${sig.name}\`\n\n${sig.doc}${table}${nested}\n`;
}

export function referenceDoc(): string {
  const out = [
    "# recspec language reference",
    "",
    "Generated from the compiler's signature tables by `npm run build:docs` — do not edit. Every attribute",
    'may be given as a named argument (`amazon("dir", name: "Beauty")`) or in the block\'s body',
    '(`name = "Beauty"`); positional arguments fill the attributes marked positional, in order.',
    "“derived” defaults are computed by the checker (e.g. a transformer's `d_model` from the model's",
    "`embedding`) and appear explicitly in `recspec compile --emit ir`.",
    "",
  ];
  for (const kind of BLOCK_KINDS) {
    out.push(`## ${kind} blocks`, "");
    for (const sig of ALL_SIGNATURES.filter((s) => s.of === kind)) out.push(signatureSection(sig, "###"));
    if (kind === "dataset") out.push(...DATA_FILES_SECTION, ...DATA_OPTIONS_SECTION);
    if (kind === "model") out.push(...ID_MODELS_SECTION);
  }
  for (const body of ["train", "evaluate", "experiment"]) {
    out.push(`## ${body}`, "");
    for (const sig of ALL_SIGNATURES.filter((s) => s.of === body)) out.push(signatureSection(sig, "###").replace(/^### `\w+`\n\n/, ""));
    if (body === "train") out.push(...TRAINING_RUNS_SECTION);
    if (body === "evaluate") out.push(...evaluationSection());
  }
  out.push("## Options", "", "Values of these families are written as a constructor call, or as a bare name when the defaults serve.", "");
  const families = [...new Set(ALL_SIGNATURES.map((s) => s.of))].filter(
    (f) => !(BLOCK_KINDS as readonly string[]).includes(f) && !["train", "evaluate", "experiment"].includes(f),
  );
  for (const family of families) {
    out.push(`### ${family}`, "");
    for (const sig of ALL_SIGNATURES.filter((s) => s.of === family)) out.push(signatureSection(sig, "####"));
  }
  out.push(...LIMITS_SECTION);
  out.push("## Diagnostics", "", "| code | severity | what |", "|---|---|---|");
  for (const [code, info] of Object.entries(CODES)) out.push(`| ${code} | ${info.severity} | ${info.title} |`);
  return `${out.join("\n")}\n`;
}
