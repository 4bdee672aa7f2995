// Phase 2, analysis: a loaded program → checked, derived blocks, evaluations and experiments, plus
// every name, type, value and shape diagnostic (2xxx–4xxx). Keeps going after errors to report all.
import type { Span } from "../ast.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { checkBlock, checkEvaluation, checkExperiment, type CheckedBlock, type CheckedEvaluation, type CheckedExperiment } from "./blocks.js";
import { checkDataPaths } from "./data-paths.js";
import { applyEvaluateOverrides, checkEvaluateOverrides, isEvaluateOverride } from "./evaluate-overrides.js";
import { resolveEvaluationDefaults } from "./evaluation-protocol.js";
import { resolveReportDefault } from "./report-defaults.js";
import { Deriver, type DerivedBlock } from "./derive.js";
import type { Program } from "./program.js";
import { setPath, unknownTargetHelp, type Override } from "./overrides.js";
import { buildScope, type Declaration, type Scope } from "./scope.js";
import { trainSignature } from "./signatures/index.js";
import { checkEarlyStop, checkEvaluationMetrics, checkReportMetrics } from "./metric-rules.js";
import { checkMemory } from "./memory-check.js";
import { memoryLimits, type MemoryLimits } from "./memory-limit.js";
import { checkSpecName } from "./spec-name.js";
import { checkTrain } from "./train-rules.js";
import type { Value } from "./types.js";
import { ValueChecker } from "./values.js";

export interface Analysis {
  readonly spec: string;
  readonly params: Record<string, Value>;
  /** Blocks in dependency order: every block after the blocks it refers to. */
  readonly blocks: DerivedBlock[];
  readonly evaluations: CheckedEvaluation[];
  readonly experiments: CheckedExperiment[];
}

export function analyze(program: Program, diagnostics: Diagnostic[], overrides: readonly Override[] = [], limits: MemoryLimits = memoryLimits()): Analysis {
  const scope = buildScope(program, diagnostics);
  const vc = new ValueChecker(scope, diagnostics);
  const blockOverrides = routeOverrides(
    overrides.filter((o) => !isEvaluateOverride(o)),
    scope,
    vc,
  );

  const checked = new Map<string, CheckedBlock>();
  const failed = new Set<string>();
  for (const decl of scope.names.values()) {
    if (decl.kind !== "block") continue;
    const block = checkBlock(decl, vc);
    const overridden = block && applyOverrides(block, blockOverrides.get(block.name) ?? [], vc);
    if (block && overridden) checked.set(block.name, block);
    else failed.add(decl.node.name.name);
  }
  checkDataPaths(checked.values(), program, vc);

  const params: Record<string, Value> = {};
  for (const decl of scope.names.values()) {
    if (decl.kind !== "param") continue;
    const v = paramLiteral(decl, vc);
    // defineProperty: a param called `__proto__` is an own key, not the record's prototype.
    if (v !== undefined) Object.defineProperty(params, decl.node.name.name, { value: v, enumerable: true, writable: true, configurable: true });
  }

  const deriver = new Deriver(vc);
  const blocks: DerivedBlock[] = [];
  for (const block of dependencyOrder(checked)) {
    // A block that depends on a broken one is not derived: its errors would only repeat the cause.
    if (dependencies(block).some((d) => failed.has(d) || !deriver.facts.has(d))) {
      failed.add(block.name);
      continue;
    }
    const derived = deriver.derive(block);
    if (derived) blocks.push(derived);
    else failed.add(block.name);
  }
  for (const d of blocks) {
    checkTrain(d.block, vc);
    if (d.block.kind === "model" || d.block.kind === "distill") checkEarlyStop(d.block, deriver, vc);
  }
  checkMemory(blocks, overrides, vc, limits);

  const evaluations: CheckedEvaluation[] = [];
  const experiments: CheckedExperiment[] = [];
  let specName: string | undefined;
  let specNameSpan: Span | undefined;
  const evaluateNodes = program.files.flatMap((f) => f.ast.items.filter((i) => i.kind === "Evaluate"));
  const evaluateOverrides = checkEvaluateOverrides(overrides.filter(isEvaluateOverride), evaluateNodes, scope, vc);
  for (const file of program.files) {
    for (const item of file.ast.items) {
      if (item.kind === "SpecName" && file === program.files[0] && specName === undefined) {
        specName = item.name.name;
        specNameSpan = item.name.span;
      }
      if (item.kind === "Evaluate") {
        const evaluation = checkEvaluation(item, file.path, vc);
        if (evaluation && applyEvaluateOverrides(evaluation, evaluateOverrides) && evaluationRules(evaluation, deriver, vc)) {
          resolveEvaluationDefaults(evaluation, deriver);
          evaluations.push(evaluation);
        }
      }
    }
  }
  const texts = new Map(program.files.map((f) => [f.path, f.text]));
  for (const decl of scope.names.values()) {
    if (decl.kind !== "experiment") continue;
    const experiment = checkExperiment(decl.node, decl.file, texts.get(decl.file) ?? "", vc);
    if (experiment) {
      experiments.push(experiment);
      resolveReportDefault(experiment, evaluations, deriver);
      checkReportMetrics(experiment, evaluations, deriver, vc);
    }
  }

  warnUnused(scope.names, scope.used, vc);
  const entry = program.files[0]?.path ?? "spec";
  const spec = specName ?? entry.replace(/^.*\//, "").replace(/\.recspec$/, "");
  checkSpecName(spec, entry, specNameSpan, vc);
  return {
    spec,
    params,
    blocks,
    evaluations,
    experiments,
  };
}

/**
 * Sends each `--set` to its target: a param's value is replaced in the scope (so every use sees it);
 * block attributes are collected per block and applied after the block is checked.
 */
function routeOverrides(overrides: readonly Override[], scope: Scope, vc: ValueChecker): Map<string, Override[]> {
  const byBlock = new Map<string, Override[]>();
  for (const o of overrides) {
    const [head, ...rest] = o.path.parts;
    const decl = scope.names.get(head.name);
    const key = o.path.parts.map((p) => p.name).join(".");
    if (!decl) {
      vc.report(
        "RS2011",
        o.file,
        head.span,
        { key, reason: `no block or param is named \`${head.name}\`` },
        {
          help: unknownTargetHelp(o, scope.names),
        },
      );
    } else if (decl.kind === "param") {
      if (rest.length > 0) vc.report("RS2011", o.file, rest[0].span, { key, reason: "a param has no attributes" });
      else scope.names.set(head.name, { ...decl, file: o.file, node: { ...decl.node, value: o.value } });
    } else if (decl.kind === "experiment") {
      vc.report("RS2011", o.file, head.span, { key, reason: "experiments cannot be changed with `--set`" });
    } else if (rest.length === 0) {
      vc.report("RS2011", o.file, head.span, { key, reason: `name an attribute of \`${head.name}\`` });
    } else {
      byBlock.set(head.name, [...(byBlock.get(head.name) ?? []), o]);
    }
  }
  return byBlock;
}

/** Applies a block's `--set`s to its checked attributes (or its `train`); false when one is invalid. */
function applyOverrides(block: CheckedBlock, overrides: Override[], vc: ValueChecker): boolean {
  let ok = true;
  for (const o of overrides) {
    const rest = o.path.parts.slice(1);
    const intoTrain = rest[0].name === "train" && block.train !== null && rest.length > 1;
    const path = intoTrain ? rest.slice(1) : rest;
    const sig = intoTrain ? trainSignature : block.signature;
    const current = (intoTrain ? block.train : block.attributes) as Record<string, Value>;
    const value = vc.overrideValue(sig, { ...o.path, parts: path }, o.value, o.file, current);
    if (value === undefined) {
      ok = false;
      continue;
    }
    const key = path.map((p) => p.name).join(".");
    if (intoTrain) {
      setPath(block.train!, key, value);
      // Choosing a length in steps replaces one in epochs, and the other way round.
      if (key === "steps") block.train!.epochs = null;
      if (key === "epochs") block.train!.steps = null;
    } else setPath(block.attributes, key, value);
  }
  return ok;
}

function paramLiteral(decl: Extract<Declaration, { kind: "param" }>, vc: ValueChecker): Value | undefined {
  const v = decl.node.value;
  if (v.kind === "Number" || v.kind === "String" || v.kind === "Bool") return v.value;
  vc.report("RS4001", decl.file, v.span, { expected: "a number, string or boolean for a param", found: v.kind === "Reference" ? "a name" : "an expression" });
  return undefined;
}

/** Names of the blocks a block's attributes refer to. */
export function dependencies(block: CheckedBlock): string[] {
  const out = new Set<string>();
  const visit = (v: Value) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === "object") {
      const rec = v as Record<string, Value>;
      if (typeof rec.ref === "string") out.add(rec.ref);
      Object.values(rec).forEach(visit);
    }
  };
  visit(block.attributes);
  return [...out];
}

/** Depth-first topological order (source order among independent blocks). */
function dependencyOrder(blocks: Map<string, CheckedBlock>): CheckedBlock[] {
  const order: CheckedBlock[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (block: CheckedBlock, path: string[]) => {
    const s = state.get(block.name);
    if (s === "done") return;
    if (s === "visiting") {
      // Block kinds only refer "downwards" (data → features → quantizers → towers → models → distill).
      throw new Error(`internal: dependency cycle ${[...path, block.name].join(" → ")}`);
    }
    state.set(block.name, "visiting");
    for (const dep of dependencies(block)) {
      const target = blocks.get(dep);
      if (target) visit(target, [...path, block.name]);
    }
    state.set(block.name, "done");
    order.push(block);
  };
  for (const block of blocks.values()) visit(block, []);
  return order.filter((b, i) => order.indexOf(b) === i);
}

function evaluationRules(e: CheckedEvaluation, deriver: Deriver, vc: ValueChecker): boolean {
  const model = deriver.facts.get(e.model);
  const data = deriver.facts.get(e.split.dataset);
  if (!model || !data) return false;
  if (model.dataset !== e.split.dataset) {
    vc.report("RS3009", e.file, e.node.split.span, { model: e.model, modelData: model.dataset, splitData: e.split.dataset });
    return false;
  }
  if (!checkEvaluationMetrics(e, deriver, vc)) return false;
  const dataType = deriver.blocks.get(e.split.dataset)?.type;
  if (dataType !== "synthetic" && (e.attributes.slices as { type: string }[]).some((s) => s.type === "cluster")) {
    const kind = `${/^[aeiou]/.test(dataType ?? "") ? "an" : "a"} \`${dataType}\``;
    vc.report(
      "RS5008",
      e.file,
      e.spans.get("slices") ?? e.node.model.span,
      { dataset: e.split.dataset, kind },
      { help: "only `synthetic` data sets know their items' clusters" },
    );
    return false;
  }
  if (typeof data.items === "number") {
    const metrics = e.attributes.metrics as { metric: string; k: number | null }[];
    for (const m of metrics) {
      if (m.k !== null && m.k > data.items) {
        const span: Span = e.spans.get("metrics") ?? e.node.model.span;
        vc.report("RS4102", e.file, span, { metric: `${m.metric}@${m.k}`, k: m.k, dataset: e.split.dataset, items: data.items });
      }
    }
  }
  return true;
}

/** Data, features, quantizers and towers that nothing uses are probably mistakes. */
function warnUnused(names: ReadonlyMap<string, Declaration>, used: Set<string>, vc: ValueChecker): void {
  for (const decl of names.values()) {
    if (decl.kind === "experiment" || used.has(decl.node.name.name)) continue;
    if (decl.kind === "block" && (decl.node.blockKind === "model" || decl.node.blockKind === "distill")) continue;
    const kind = decl.kind === "param" ? "param" : decl.node.blockKind;
    vc.report("RS4101", decl.file, decl.node.name.span, { kind, name: decl.node.name.name }, { help: "remove it, or refer to it from a block" });
  }
}
