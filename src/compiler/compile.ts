// The compiler's front door: a spec file (and its imports) → IR and diagnostics, in three phases:
// parse (per file), analyze (names, types, values, shapes), lower (to IR, validated by the schema).
// Every experiment cell (a `vary` configuration with a seed) is analyzed with its overrides like a
// `--set` run of the spec, so a cell that breaks a rule is reported by `check`, not mid-experiment.
// Never throws on user input; an error anywhere stops before lowering, so codegen only sees valid IR.
import { analyze, type Analysis } from "./check/index.js";
import type { CheckedExperiment } from "./check/blocks.js";
import { overrideSource, parseOverride, type Override } from "./check/overrides.js";
import { memoryLimits, type MemoryLimits } from "./check/memory-limit.js";
import { loadProgram, type CompilerHost, type Program } from "./check/program.js";
import { hasErrors, sortDiagnostics, type Diagnostic } from "./diagnostics/diagnostic.js";
import { assertValidIr, gridConfigurations, reportEvaluations, seedSets, type IR, type IRCell, type IRExperiment } from "../ir/index.js";
import { lower, lowerBlocks, lowerEvaluations } from "./lower.js";

export interface CompileOptions {
  /** `--set key=value` texts. */
  readonly set?: readonly string[];
  /** Text of the entry file when the caller already has it (editors, tests). */
  readonly entryText?: string;
  /** Bytes a block's tensors may take (default: RECSPEC_MEMORY_LIMIT, else this machine's memory). */
  readonly memoryLimit?: number;
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
    sources.set(overrideSource(text), overrideSource(text));
    if (o) overrides.push(o);
  }
  // Syntax errors make names and values unreliable: report them alone.
  if (hasErrors(diagnostics) || program.files.length === 0) {
    return { ir: null, diagnostics: sortDiagnostics(diagnostics), sources };
  }
  const limits = memoryLimits(options.memoryLimit);
  const analysis = analyze(program, diagnostics, overrides, limits);
  if (hasErrors(diagnostics)) return { ir: null, diagnostics: sortDiagnostics(diagnostics), sources };

  const cells = new CellExpander(program, overrides, diagnostics, sources, limits);
  const cellsByExperiment = new Map(analysis.experiments.map((x) => [x, cells.expand(x)]));
  if (hasErrors(diagnostics)) return { ir: null, diagnostics: sortDiagnostics(diagnostics), sources };
  const ir = assertValidIr(lower(analysis, entry, (x) => cellsByExperiment.get(x) ?? []));
  return { ir, diagnostics: sortDiagnostics(diagnostics), sources };
}

/**
 * Analyzes experiment cells: the spec with the user's `--set`s, then the configuration's
 * `target=value`s, then the seed's overrides (each training and synthetic-data seed + s) — the
 * order a cell run has always used, so a `vary` of a seed is offset by the seed loop.
 */
class CellExpander {
  /** Errors already reported, so a rule every seed breaks is reported once. */
  private readonly reported = new Set<string>();

  constructor(
    private readonly program: Program,
    private readonly base: readonly Override[],
    private readonly diagnostics: Diagnostic[],
    private readonly sources: Map<string, string>,
    private readonly limits: MemoryLimits,
  ) {}

  expand(experiment: CheckedExperiment): IRCell[] {
    const seeds = experiment.attributes.seeds as number;
    const report = experiment.attributes.report as IRExperiment["report"];
    const cells: IRCell[] = [];
    for (const [index, configuration] of gridConfigurations(experiment).entries()) {
      const where = `in experiment \`${experiment.name}\`, configuration ${index + 1} (${configuration.sets.join(", ")})`;
      const varied = this.analyze(configuration.sets, where);
      if (!varied) continue;
      const variedBlocks = lowerBlocks(varied);
      for (let seed = 0; seed < seeds; seed++) {
        const sets = [...configuration.sets, ...seedSets(variedBlocks, seed)];
        // Seed 0 sets every seed to the value it has: the varied analysis is that cell already.
        const analysis = seed === 0 ? varied : this.analyze(sets, `${where}, seed ${seed}`);
        if (!analysis) break;
        cells.push({
          index,
          seed,
          config: configuration.config,
          sets,
          blocks: seed === 0 ? variedBlocks : lowerBlocks(analysis),
          evaluations: reportEvaluations(report, lowerEvaluations(analysis)),
        });
      }
    }
    return cells;
  }

  /** The spec analyzed with `sets` after the user's overrides; undefined (errors reported) when invalid. */
  private analyze(sets: readonly string[], where: string): Analysis | undefined {
    const found: Diagnostic[] = [];
    const overrides = sets.flatMap((text) => parseOverride(text, found) ?? []);
    const analysis = hasErrors(found) ? undefined : analyze(this.program, found, [...this.base, ...overrides], this.limits);
    // Warnings repeat the spec's own (unused blocks and the like); errors are the cell's.
    const errors = found.filter((d) => d.severity === "error");
    for (const d of errors) {
      const key = `${d.code} ${d.file} ${d.span.start} ${d.span.end} ${d.message}`;
      if (this.reported.has(key)) continue;
      this.reported.add(key);
      this.diagnostics.push({ ...d, notes: [...d.notes, where] });
      for (const file of [d.file, ...d.labels.map((l) => l.file)]) {
        if (sets.some((s) => overrideSource(s) === file)) this.sources.set(file, file);
      }
    }
    return errors.length > 0 ? undefined : analysis;
  }
}
