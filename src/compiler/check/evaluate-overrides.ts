// `--set MODEL.evaluate.ATTRIBUTE=VALUE`: an attribute of every `evaluate MODEL on …` of the spec
// (`--set sasrec.evaluate.exclude_history=false`, `--set sasrec.evaluate.candidates.negatives=49`),
// the way `MODEL.train.…` reaches a block's `train`. An `evaluate` has no name of its own, so it is
// reached through its model. Takes the parsed overrides, the scope and the value checker; gives the
// checked values to apply to each evaluation, and reports a target that no `evaluate` has.
import type { Evaluate } from "../ast.js";
import { setPath, type Override } from "./overrides.js";
import type { CheckedEvaluation } from "./blocks.js";
import type { Scope } from "./scope.js";
import { evaluateSignature } from "./signatures/index.js";
import type { Value } from "./types.js";
import type { ValueChecker } from "./values.js";

export interface EvaluateOverride {
  readonly override: Override;
  readonly model: string;
  /** The attribute path inside the `evaluate`, e.g. `candidates.negatives`. */
  readonly key: string;
  /** The checked value; undefined when it was reported as wrong. */
  readonly value: Value | undefined;
}

/** Whether a `--set` is aimed at a model's evaluations (`MODEL.evaluate.…`). */
export function isEvaluateOverride(o: Override): boolean {
  return o.path.parts.length > 2 && o.path.parts[1].name === "evaluate";
}

/**
 * Checks each `MODEL.evaluate.…` once against the `evaluate` signature (so a bad value is reported
 * once, not once per evaluation), and reports the ones whose model no `evaluate` of the spec names.
 */
export function checkEvaluateOverrides(overrides: readonly Override[], evaluations: readonly Evaluate[], scope: Scope, vc: ValueChecker): EvaluateOverride[] {
  const evaluated = new Set(evaluations.map((e) => e.model.parts[0].name));
  const out: EvaluateOverride[] = [];
  for (const o of overrides) {
    const [head, , ...path] = o.path.parts;
    const key = o.path.parts.map((p) => p.name).join(".");
    if (!evaluated.has(head.name)) {
      const decl = scope.names.get(head.name);
      const isModel = decl?.kind === "block" && (decl.node.blockKind === "model" || decl.node.blockKind === "distill");
      const reason = isModel ? `the spec has no \`evaluate ${head.name} on …\`` : `no model or distill block named \`${head.name}\` is evaluated`;
      const help = evaluated.size > 0 ? `evaluated models: ${[...evaluated].map((m) => `\`${m}\``).join(", ")}` : undefined;
      vc.report("RS2011", o.file, head.span, { key, reason }, { help });
      continue;
    }
    const value = vc.overrideValue(evaluateSignature, { ...o.path, parts: path }, o.value, o.file);
    out.push({ override: o, model: head.name, key: path.map((p) => p.name).join("."), value });
  }
  return out;
}

/** Applies the overrides of `e`'s model to its attributes; false when one of them was wrong. */
export function applyEvaluateOverrides(e: CheckedEvaluation, overrides: readonly EvaluateOverride[]): boolean {
  let ok = true;
  for (const o of overrides) {
    if (o.model !== e.model) continue;
    if (o.value === undefined) ok = false;
    else setPath(e.attributes, o.key, o.value);
  }
  return ok;
}
