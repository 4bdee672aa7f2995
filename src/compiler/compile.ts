// The compiler's front door: a spec file (and its imports) → IR and diagnostics, in three phases:
// parse (per file), analyze (names, types, values, shapes), lower (to IR, validated by the schema).
// Never throws on user input; an error anywhere stops before lowering, so codegen only sees valid IR.
import { analyze } from "./check/index.js";
import { parseOverride, type Override } from "./check/overrides.js";
import { loadProgram, type CompilerHost } from "./check/program.js";
import { hasErrors, sortDiagnostics, type Diagnostic } from "./diagnostics/diagnostic.js";
import type { IR } from "./ir.js";
import { lower } from "./lower.js";
import { assertValidIr } from "./validate-ir.js";

export interface CompileOptions {
  /** `--set key=value` texts. */
  readonly set?: readonly string[];
  /** Text of the entry file when the caller already has it (editors, tests). */
  readonly entryText?: string;
}

export interface CompileResult {
  /** Null when there are errors. */
  readonly ir: IR | null;
  readonly diagnostics: Diagnostic[];
  /** Every text a diagnostic may point into: spec files and `--set` arguments. */
  readonly sources: Map<string, string>;
}

export function compileSpec(entry: string, host: CompilerHost, options: CompileOptions = {}): CompileResult {
  const diagnostics: Diagnostic[] = [];
  const program = loadProgram(entry, host, options.entryText);
  diagnostics.push(...program.diagnostics);
  const sources = new Map(program.files.map((f) => [f.path, f.text]));

  const overrides: Override[] = [];
  for (const text of options.set ?? []) {
    const o = parseOverride(text, diagnostics);
    sources.set(`--set ${text}`, text);
    if (o) overrides.push(o);
  }
  // Syntax errors make names and values unreliable: report them alone.
  if (hasErrors(diagnostics) || program.files.length === 0) {
    return { ir: null, diagnostics: sortDiagnostics(diagnostics), sources };
  }
  const analysis = analyze(program, diagnostics, overrides);
  if (hasErrors(diagnostics)) return { ir: null, diagnostics: sortDiagnostics(diagnostics), sources };
  const ir = assertValidIr(lower(analysis, entry));
  return { ir, diagnostics: sortDiagnostics(diagnostics), sources };
}
