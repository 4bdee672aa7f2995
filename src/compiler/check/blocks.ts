// Checks each declaration against its signature: blocks (with their nested `train`), evaluations and
// experiments (with `vary`). Gives checked records with lowered attribute values and the spans of
// what the user wrote, for the shape rules that follow.
import type { Block, Body, Evaluate, Experiment, Span, Vary } from "../ast.js";
import type { BlockKind } from "../lexer.js";
import type { Declaration } from "./scope.js";
import { constructorsOf, evaluateSignature, experimentSignature, NESTED_SIGNATURES, signatureOf, trainSignature } from "./signatures/index.js";
import { didYouMean } from "./suggest.js";
import type { Signature, Value } from "./types.js";
import type { ValueChecker } from "./values.js";

export interface CheckedBlock {
  readonly name: string;
  readonly kind: BlockKind;
  readonly type: string;
  readonly file: string;
  readonly node: Block;
  readonly signature: Signature;
  /** Attribute values as written or defaulted; derived values (e.g. `d_model`) may still be null. */
  readonly attributes: Record<string, Value>;
  readonly train: Record<string, Value> | null;
  /** Where each attribute the user wrote is, for diagnostics; absent ones point at the constructor. */
  readonly spans: ReadonlyMap<string, Span>;
}

export interface CheckedEvaluation {
  readonly file: string;
  readonly node: Evaluate;
  readonly model: string;
  readonly split: { dataset: string; split: string };
  readonly attributes: Record<string, Value>;
  readonly spans: ReadonlyMap<string, Span>;
}

export interface CheckedExperiment {
  readonly name: string;
  readonly file: string;
  readonly node: Experiment;
  /** Each `vary`: the target, the checked values, and each value as written (for `--set`). */
  readonly vary: { target: string; values: Value[]; texts: string[] }[];
  readonly attributes: Record<string, Value>;
}

export function checkBlock(decl: Extract<Declaration, { kind: "block" }>, vc: ValueChecker): CheckedBlock | undefined {
  const { node, file } = decl;
  const ctor = node.constructorName;
  const sig = signatureOf(node.blockKind, ctor.name);
  if (!sig) {
    const names = [...constructorsOf(node.blockKind).keys()];
    vc.report(
      "RS2007",
      file,
      ctor.span,
      { what: `${node.blockKind} constructor`, name: ctor.name },
      {
        help: didYouMean(ctor.name, names) ?? `${node.blockKind} blocks are built by ${names.map((n) => `\`${n}\``).join(", ")}`,
      },
    );
    return undefined;
  }
  const spans = new Map<string, Span>();
  const attributes = vc.attributes(sig, node.args ?? [], node.body, file, ctor.span, spans);
  const train = checkNested(node.body, sig, file, vc);
  if (!attributes || train === undefined) return undefined;
  return { name: node.name.name, kind: node.blockKind, type: sig.name, file, node, signature: sig, attributes, train, spans };
}

/** The nested `train { … }` of a block (defaults when absent and allowed), or null when not allowed. */
function checkNested(body: Body | null, sig: Signature, file: string, vc: ValueChecker): Record<string, Value> | null | undefined {
  let train: Record<string, Value> | null | undefined = sig.nested?.includes("train")
    ? (vc.attributes(trainSignature, [], null, file, { start: 0, end: 0 }) ?? null)
    : null;
  for (const item of body?.items ?? []) {
    if (item.kind === "Vary") {
      vc.report("RS4010", file, item.span, { what: "`vary`", where: "here" }, { help: "`vary` belongs in an `experiment` block" });
      train = undefined;
    } else if (item.kind === "NestedBlock") {
      const name = item.name.name;
      if (!sig.nested?.includes(name)) {
        const allowed = sig.nested ?? [];
        vc.report(
          "RS2008",
          file,
          item.name.span,
          { owner: sig.name, name },
          {
            help:
              didYouMean(name, allowed) ??
              (allowed.length ? `\`${sig.name}\` takes ${allowed.map((n) => `\`${n} { … }\``).join(", ")}` : `\`${sig.name}\` takes no nested blocks`),
          },
        );
        train = undefined;
        continue;
      }
      const nestedSig = NESTED_SIGNATURES[name];
      const checked = vc.attributes(nestedSig, [], item.body, file, item.name.span);
      const onlyAssignments = rejectNonAssignments(item.body, file, vc);
      train = checked && onlyAssignments && train !== undefined ? checked : undefined;
    }
  }
  return train;
}

function rejectNonAssignments(body: Body, file: string, vc: ValueChecker): boolean {
  let ok = true;
  for (const item of body.items) {
    if (item.kind === "Assignment") continue;
    ok = false;
    vc.report("RS4010", file, item.span, { what: item.kind === "Vary" ? "`vary`" : "a nested block", where: "here" });
  }
  return ok;
}

export function checkEvaluation(node: Evaluate, file: string, vc: ValueChecker): CheckedEvaluation | undefined {
  const model = vc.reference(node.model, ["model", "distill"], undefined, file);
  const split = vc.check(node.split, { kind: "split" }, file, "split");
  const spans = new Map<string, Span>();
  const attributes = vc.attributes(evaluateSignature, [], node.body, file, node.model.span, spans);
  const clean = node.body ? rejectNonAssignments(node.body, file, vc) : true;
  if (model === undefined || split === undefined || !attributes || !clean) return undefined;
  return {
    file,
    node,
    model: (model as { ref: string }).ref,
    split: split as { dataset: string; split: string },
    attributes,
    spans,
  };
}

export function checkExperiment(node: Experiment, file: string, text: string, vc: ValueChecker): CheckedExperiment | undefined {
  const attributes = vc.attributes(experimentSignature, [], node.body, file, node.name.span);
  const vary: { target: string; values: Value[]; texts: string[] }[] = [];
  let ok = attributes !== undefined;
  for (const item of node.body.items) {
    if (item.kind === "NestedBlock") {
      ok = false;
      vc.report("RS4010", file, item.span, { what: "a nested block", where: "in an experiment" });
    } else if (item.kind === "Vary") {
      const checked = checkVary(item, file, vc);
      if (checked) vary.push({ ...checked, texts: item.values.items.map((v) => text.slice(v.span.start, v.span.end)) });
      else ok = false;
    }
  }
  if (!ok || !attributes) return undefined;
  return { name: node.name.name, file, node, vary, attributes };
}

/** `vary block.attribute[.part…] in [values]`: the target must exist and each value type-check. */
function checkVary(item: Vary, file: string, vc: ValueChecker): { target: string; values: Value[] } | undefined {
  const [head, ...rest] = item.target.parts;
  const target = item.target.parts.map((p) => p.name).join(".");
  const decl = vc.scope.names.get(head.name);
  if (decl?.kind === "param") {
    vc.scope.used.add(head.name);
    if (rest.length > 0) {
      vc.report("RS2006", file, rest[0].span, { owner: head.name, member: rest[0].name }, { help: "a param has no members" });
      return undefined;
    }
    const kind = decl.node.value.kind;
    const values = item.values.items.map((v) => {
      if (v.kind !== kind) return vc.wrongType(v, `a value like the param's (${kind.toLowerCase()})`, file);
      return vc.check(v, kind === "Number" ? { kind: "number" } : kind === "String" ? { kind: "string" } : { kind: "bool" }, file, head.name);
    });
    return values.every((v) => v !== undefined) ? { target, values: values as Value[] } : undefined;
  }
  const block = vc.resolveBlock(head, file);
  if (!block) return undefined;
  if (rest.length === 0) {
    vc.report(
      "RS4010",
      file,
      item.target.span,
      { what: "varying a whole block", where: "in `vary`" },
      { help: `name an attribute, e.g. \`${head.name}.<attribute>\`` },
    );
    return undefined;
  }
  let sig = signatureOf(block.blockKind, block.node.constructorName.name);
  let path = rest;
  if (sig && rest[0].name === "train" && sig.nested?.includes("train")) {
    sig = trainSignature;
    path = rest.slice(1);
    if (path.length === 0) {
      vc.report("RS4010", file, item.target.span, { what: "varying a whole `train` block", where: "in `vary`" });
      return undefined;
    }
  }
  if (!sig) return undefined;
  const pathRef = { kind: "Reference" as const, parts: path, span: item.target.span };
  const values = item.values.items.map((v) => vc.overrideValue(sig!, pathRef, v, file));
  return values.every((v) => v !== undefined) ? { target, values: values as Value[] } : undefined;
}
