// Checks one attribute value against its TypeSpec and lowers it to IR data: numbers stay numbers,
// option calls become `{type, …attributes with defaults}`, references become `{ref}`. Reports wrong
// types, ranges, unknown names (with did-you-mean) and wrong kinds of block; never throws.
import type { Argument, Body, Expr, Identifier, Reference, Span } from "../ast.js";
import { diagnostic, type Diagnostic, type DiagnosticExtras } from "../diagnostics/diagnostic.js";
import type { Code } from "../diagnostics/codes.js";
import { describeDeclaration, type Scope } from "./scope.js";
import { constructorsOf, signatureOf } from "./signatures/index.js";
import { didYouMean } from "./suggest.js";
import { metricHelp } from "./metric-names.js";
import type { Attribute, Family, Signature, TypeSpec, Value } from "./types.js";

/** Metrics and whether they take a cut-off `@K`. */
export const METRICS: Readonly<Record<string, "k" | "no-k" | "optional-k">> = {
  recall: "k",
  hr: "k",
  ndcg: "k",
  precision: "k",
  coverage: "k",
  mrr: "optional-k",
  auc: "no-k",
};

const FAMILY_WORDS: Record<Family, string> = {
  optimizer: "optimizer",
  schedule: "learning-rate schedule",
  encoder: "encoder",
  attention: "attention",
  mlp: "MLP",
  loss: "loss",
  weighting: "weighting scheme",
  decode: "decoder search",
  user_token: "user token",
  item_repr: "item representation",
  sid_embed: "Semantic-ID embedding",
  user_repr: "user representation",
  teacher_transform: "teacher transform",
  slice: "slice",
  candidates: "candidate set",
  baseline: "baseline",
};

export class ValueChecker {
  constructor(
    readonly scope: Scope,
    readonly diagnostics: Diagnostic[],
  ) {}

  report(code: Code, file: string, span: Span, args: Record<string, string | number> = {}, extras: DiagnosticExtras = {}): undefined {
    this.diagnostics.push(diagnostic(code, file, span, args, extras));
    return undefined;
  }

  /** Checks `expr` against `type`; `name` is the attribute's name for range messages. */
  check(expr: Expr, type: TypeSpec, file: string, name: string): Value | undefined {
    const param = this.paramValue(expr, type);
    if (param) return this.check(param.node.value, type, param.file, name);

    switch (type.kind) {
      case "int":
      case "number":
        return this.number(expr, type, file, name);
      case "string":
        if (expr.kind === "String") return expr.value;
        return this.wrongType(expr, "a string", file);
      case "bool":
        if (expr.kind === "Bool") return expr.value;
        return this.wrongType(expr, "`true` or `false`", file);
      case "enum":
        return this.enumValue(expr, type.values, file);
      case "ref":
        return this.reference(expr, type.blockKinds, type.member, file);
      case "option":
        return this.option(expr, type.family, file);
      case "list": {
        if (expr.kind !== "List") return this.wrongType(expr, "a list `[…]`", file);
        if (type.minLength !== undefined && expr.items.length < type.minLength) {
          return this.report("RS4002", file, expr.span, { name, range: `a list of at least ${type.minLength}`, value: "an empty list" });
        }
        const items = expr.items.map((item) => this.check(item, type.of, file, name));
        return items.every((v) => v !== undefined) ? (items as Value[]) : undefined;
      }
      case "metric":
        return this.metric(expr, file, type.allowLoss ?? false);
      case "report": {
        if (expr.kind !== "By") return this.withBy(this.metric(expr, file, false), null);
        const metric = this.metric(expr.value, file, false);
        const by = this.option(expr.by, "slice", file);
        return metric === undefined || by === undefined ? undefined : this.withBy(metric, by);
      }
      case "split":
        return this.split(expr, file);
      case "model_or_override":
        return this.modelOrOverride(expr, file);
      default:
        // Every TypeSpec kind has an arm above; a new kind must get one, not fall through as "unset".
        return unknownTypeSpec(type);
    }
  }

  private withBy(metric: Value | undefined, by: Value | null): Value | undefined {
    return metric === undefined ? undefined : { ...(metric as Record<string, Value>), by };
  }

  /** A bare name that is a param (and not a constructor of the expected family) stands for its value. */
  private paramValue(expr: Expr, type: TypeSpec) {
    if (expr.kind !== "Reference" || expr.parts.length !== 1) return undefined;
    const name = expr.parts[0].name;
    const decl = this.scope.names.get(name);
    if (decl?.kind !== "param") return undefined;
    if (type.kind === "option" && signatureOf(type.family, name)) return undefined;
    if (type.kind === "enum" && type.values.includes(name)) return undefined;
    this.scope.used.add(name);
    return decl;
  }

  private number(expr: Expr, type: Extract<TypeSpec, { kind: "int" | "number" }>, file: string, name: string): Value | undefined {
    if (expr.kind !== "Number") return this.wrongType(expr, type.kind === "int" ? "an integer" : "a number", file);
    const v = expr.value;
    if (type.kind === "int" && !Number.isInteger(v)) return this.wrongType(expr, "an integer", file);
    const t = type as { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean };
    const below = t.min !== undefined && (t.minExclusive ? v <= t.min : v < t.min);
    const above = t.max !== undefined && (t.maxExclusive ? v >= t.max : v > t.max);
    if (below || above) {
      return this.report("RS4002", file, expr.span, { name, range: describeRange(t), value: expr.raw });
    }
    return v;
  }

  private enumValue(expr: Expr, values: readonly string[], file: string): Value | undefined {
    const allowed = values.map((v) => `\`${v}\``).join(", ");
    if (expr.kind !== "Reference" || expr.parts.length !== 1) return this.wrongType(expr, `one of ${allowed}`, file);
    const name = expr.parts[0].name;
    if (values.includes(name)) return name;
    return this.report("RS4006", file, expr.span, { value: name, allowed }, { help: didYouMean(name, values) });
  }

  /** A reference to a block of one of `kinds`, optionally to one of its members (`beauty.items`). */
  reference(expr: Expr, kinds: readonly string[], member: string | undefined, file: string): Value | undefined {
    const expected = kinds.map((k) => article(k)).join(" or ") + (member ? `'s \`${member}\`` : "");
    if (expr.kind !== "Reference") return this.wrongType(expr, expected, file);
    const target = this.resolveBlock(expr.parts[0], file);
    if (!target) return undefined;
    if (!kinds.includes(target.blockKind)) {
      return this.report(
        "RS2003",
        file,
        expr.parts[0].span,
        { name: target.name, actual: `${article(target.blockKind)}`, expected },
        {
          labels: [{ file: target.file, span: target.nameSpan, message: `\`${target.name}\` is declared here` }],
        },
      );
    }
    const rest = expr.parts.slice(1);
    if (member) {
      if (rest.length === 0) {
        return this.report("RS4001", file, expr.span, { expected, found: `\`${target.name}\`` }, { help: `write \`${target.name}.${member}\`` });
      }
      if (rest.length > 1 || rest[0].name !== member) {
        return this.report("RS2006", file, rest[0].span, { owner: target.name, member: rest[0].name }, { help: `write \`${target.name}.${member}\`` });
      }
      return { ref: target.name, member };
    }
    if (rest.length > 0) {
      return this.report(
        "RS4001",
        file,
        expr.span,
        { expected, found: `\`${expr.parts.map((p) => p.name).join(".")}\`` },
        { help: `write \`${target.name}\`` },
      );
    }
    return { ref: target.name };
  }

  /** Looks a block name up, reporting unknown names (with a suggestion) and non-block names. */
  resolveBlock(id: Identifier, file: string) {
    const decl = this.scope.names.get(id.name);
    if (!decl) {
      const candidates = [...this.scope.names.values()].filter((d) => d.kind === "block").map((d) => d.node.name.name);
      return this.report("RS2001", file, id.span, { name: id.name }, { help: didYouMean(id.name, candidates) });
    }
    if (decl.kind !== "block") {
      return this.report(
        "RS2003",
        file,
        id.span,
        { name: id.name, actual: describeDeclaration(decl), expected: "a block" },
        {
          labels: [{ file: decl.file, span: decl.node.name.span, message: "declared here" }],
        },
      );
    }
    this.scope.used.add(id.name);
    return { name: id.name, blockKind: decl.node.blockKind, file: decl.file, nameSpan: decl.node.name.span, node: decl.node };
  }

  private split(expr: Expr, file: string): Value | undefined {
    const parts = expr.kind === "Reference" ? expr.parts : [];
    if (expr.kind !== "Reference" || parts.length !== 2) {
      return this.wrongType(expr, "a split such as `beauty.test`", file);
    }
    const ref = this.reference({ ...expr, parts: [parts[0]] }, ["dataset"], undefined, file);
    if (ref === undefined) return undefined;
    const split = parts[1].name;
    const splits = ["train", "valid", "test"];
    if (!splits.includes(split)) {
      return this.report(
        "RS2006",
        file,
        parts[1].span,
        { owner: parts[0].name, member: split },
        { help: didYouMean(split, splits) ?? "splits are `train`, `valid` and `test`" },
      );
    }
    return { dataset: parts[0].name, split };
  }

  private metric(expr: Expr, file: string, allowLoss: boolean): Value | undefined {
    const expected = allowLoss ? "a metric such as `ndcg@10`, or `loss`" : "a metric such as `recall@10`";
    if (expr.kind === "Metric") {
      const name = expr.name.name;
      const kind = METRICS[name];
      if (!kind) return this.report("RS4008", file, expr.name.span, { name }, { help: metricHelp(name, METRICS, expr.k.raw) });
      if (kind === "no-k") return this.report("RS4001", file, expr.span, { expected: `\`${name}\` without a cut-off`, found: `\`${name}@${expr.k.raw}\`` });
      if (!Number.isInteger(expr.k.value) || expr.k.value < 1) {
        return this.report("RS4002", file, expr.k.span, { name: `${name}@K`, range: "a whole number ≥ 1", value: expr.k.raw });
      }
      return { metric: name, k: expr.k.value };
    }
    if (expr.kind === "Reference" && expr.parts.length === 1) {
      const name = expr.parts[0].name;
      if (allowLoss && name === "loss") return { metric: "loss", k: null };
      const kind = METRICS[name];
      if (kind === "no-k" || kind === "optional-k") return { metric: name, k: null };
      if (kind === "k")
        return this.report("RS4001", file, expr.span, { expected: `a cut-off for \`${name}\``, found: `\`${name}\`` }, { help: `write \`${name}@10\`` });
      return this.report("RS4008", file, expr.span, { name }, { help: metricHelp(name, allowLoss ? { ...METRICS, loss: "no-k" } : METRICS) });
    }
    return this.wrongType(expr, expected, file);
  }

  /** An option of a family: a bare constructor name or a call, lowered with every default filled. */
  option(expr: Expr, family: Family, file: string): Value | undefined {
    const what = FAMILY_WORDS[family];
    let calleeId: Identifier;
    let args: readonly Argument[] = [];
    if (expr.kind === "Reference" && expr.parts.length === 1) calleeId = expr.parts[0];
    else if (expr.kind === "Call" && expr.callee.parts.length === 1) {
      calleeId = expr.callee.parts[0];
      args = expr.args;
    } else {
      const names = [...constructorsOf(family).keys()].map((n) => `\`${n}\``).join(", ");
      return this.wrongType(expr, `${article(what)} (${names})`, file);
    }
    const sig = signatureOf(family, calleeId.name);
    if (!sig) {
      const names = [...constructorsOf(family).keys()];
      return this.report(
        "RS2007",
        file,
        calleeId.span,
        { what, name: calleeId.name },
        {
          help: didYouMean(calleeId.name, names) ?? `known: ${names.map((n) => `\`${n}\``).join(", ")}`,
        },
      );
    }
    const attrs = this.attributes(sig, args, null, file, expr.span);
    return attrs === undefined ? undefined : { type: sig.name, ...attrs };
  }

  /**
   * Matches a call's arguments and a body's assignments to a signature's attributes, checks each
   * value, and fills defaults. Nested blocks and `vary` are the caller's business.
   */
  attributes(
    sig: Signature,
    args: readonly Argument[],
    body: Body | null,
    file: string,
    span: Span,
    spans?: Map<string, Span>,
  ): Record<string, Value> | undefined {
    const given = new Map<string, { expr: Expr; span: Span }>();
    const byName = new Map(sig.attributes.map((a) => [a.name, a]));
    const positionals = sig.attributes.filter((a) => a.positional);
    let ok = true;
    const give = (attribute: Attribute | undefined, key: Identifier | null, expr: Expr, at: Span) => {
      if (!attribute) {
        ok = false;
        const name = key?.name ?? "?";
        return this.report("RS2008", file, key?.span ?? at, { owner: sig.name, name }, { help: didYouMean(name, byName.keys()) });
      }
      const previous = given.get(attribute.name);
      if (previous) {
        ok = false;
        return this.report("RS2009", file, at, { name: attribute.name }, { labels: [{ file, span: previous.span, message: "first given here" }] });
      }
      given.set(attribute.name, { expr, span: at });
    };

    let position = 0;
    for (const arg of args) {
      if (arg.name) give(byName.get(arg.name.name), arg.name, arg.value, arg.span);
      else if (position < positionals.length) give(positionals[position++], null, arg.value, arg.span);
      else {
        ok = false;
        const max = positionals.length;
        this.report(
          "RS4005",
          file,
          arg.span,
          { owner: sig.name, max, s: max === 1 ? "" : "s", count: args.filter((a) => !a.name).length },
          {
            help: max === 0 ? "name the argument: `name: value`" : undefined,
          },
        );
      }
    }
    for (const item of body?.items ?? []) {
      if (item.kind !== "Assignment") continue;
      if (item.target.parts.length > 1) {
        ok = false;
        this.report(
          "RS4010",
          file,
          item.target.span,
          { what: "a dotted key", where: "here" },
          {
            help: `dotted keys change a part of another block in an override, e.g. \`student: ${sig.name} { ${item.target.parts.map((p) => p.name).join(".")} = … }\``,
          },
        );
        continue;
      }
      give(byName.get(item.target.parts[0].name), item.target.parts[0], item.value, item.span);
    }

    for (const [a, b] of sig.exclusive ?? []) {
      const first = given.get(a);
      const second = given.get(b);
      if (first && second) {
        ok = false;
        this.report("RS4004", file, second.span, { a, b }, { labels: [{ file, span: first.span, message: `\`${a}\` is set here` }] });
      }
    }

    const out: Record<string, Value> = {};
    for (const attribute of sig.attributes) {
      const g = given.get(attribute.name);
      if (g) spans?.set(attribute.name, g.expr.span);
      if (g) {
        const value = this.check(g.expr, attribute.type, file, attribute.name);
        if (value === undefined) ok = false;
        else out[attribute.name] = value;
      } else if (attribute.default !== undefined) {
        out[attribute.name] = this.completeDefault(attribute.type, attribute.default);
      } else {
        ok = false;
        this.report("RS4003", file, span, { owner: sig.name, name: attribute.name }, { help: `add \`${attribute.name}: …\` — ${attribute.doc}` });
      }
    }
    return ok ? out : undefined;
  }

  /** Defaults of option type are written partially in the tables; fill the rest from their signature. */
  completeDefault(type: TypeSpec, value: Value): Value {
    if (type.kind !== "option" || value === null || typeof value !== "object" || Array.isArray(value)) return value;
    const record = value as Record<string, Value>;
    const sig = signatureOf(type.family, String(record.type));
    if (!sig) return value;
    const out: Record<string, Value> = { type: sig.name };
    for (const a of sig.attributes) {
      const v = a.name in record ? record[a.name] : a.default;
      out[a.name] = v === undefined ? null : this.completeDefault(a.type, v);
    }
    return out;
  }

  private modelOrOverride(expr: Expr, file: string): Value | undefined {
    if (expr.kind === "Reference") return this.reference(expr, ["model"], undefined, file);
    if (expr.kind !== "Override" || expr.base.kind !== "Reference") {
      return this.wrongType(expr, "a model, or a model with overrides (`teacher { embedding = 16 }`)", file);
    }
    const base = this.reference(expr.base, ["model"], undefined, file);
    if (base === undefined) return undefined;
    const target = this.resolveBlock(expr.base.parts[0], file);
    if (!target) return undefined;
    const sig = signatureOf("model", target.node.constructorName.name);
    if (!sig) return undefined;
    const overrides: Record<string, Value> = {};
    let ok = true;
    for (const item of expr.body.items) {
      if (item.kind !== "Assignment") {
        ok = false;
        this.report("RS4010", file, item.span, { what: item.kind === "Vary" ? "`vary`" : "a nested block", where: "in an override" });
        continue;
      }
      const value = this.overrideValue(sig, item.target, item.value, file);
      if (value === undefined) ok = false;
      else overrides[item.target.parts.map((p) => p.name).join(".")] = value;
    }
    return ok ? { ref: target.name, overrides } : undefined;
  }

  /**
   * Checks `path = value` against a signature, walking into option attributes for dotted paths.
   * `values` are the block's checked attributes when known: a dotted path then reaches into the
   * option the spec chose (`weighting.iterations` of an `idw(...)`), not the family's default.
   */
  overrideValue(sig: Signature, path: Reference, value: Expr, file: string, values?: Record<string, Value>): Value | undefined {
    let current: Signature | undefined = sig;
    let currentValues: Record<string, Value> | undefined = values;
    let type: TypeSpec | undefined;
    path.parts.forEach((part, i) => {
      if (!current) return;
      const attribute: Attribute | undefined = current.attributes.find((a) => a.name === part.name);
      if (!attribute) {
        this.report(
          "RS2008",
          file,
          part.span,
          { owner: current.name, name: part.name },
          {
            help: didYouMean(
              part.name,
              current.attributes.map((a) => a.name),
            ),
          },
        );
        current = undefined;
        return;
      }
      type = attribute.type;
      if (i < path.parts.length - 1) {
        if (attribute.type.kind !== "option") {
          this.report("RS2006", file, path.parts[i + 1].span, {
            owner: path.parts
              .slice(0, i + 1)
              .map((p) => p.name)
              .join("."),
            member: path.parts[i + 1].name,
          });
          current = undefined;
          return;
        }
        // Dotted paths reach into the option the spec chose, else the family's default constructor.
        const here = currentValues?.[part.name];
        const chosen = here !== null && typeof here === "object" && !Array.isArray(here) ? (here as Record<string, Value>) : undefined;
        const def = attribute.default as Record<string, Value> | undefined;
        const constructor = chosen?.type ?? def?.type ?? [...constructorsOf(attribute.type.family).keys()][0];
        current = signatureOf(attribute.type.family, String(constructor));
        currentValues = chosen;
      }
    });
    if (!current || !type) return undefined;
    return this.check(value, type, file, path.parts[path.parts.length - 1].name);
  }

  wrongType(expr: Expr, expected: string, file: string): undefined {
    return this.report("RS4001", file, expr.span, { expected, found: describeExpr(expr) });
  }
}

function unknownTypeSpec(type: never): never {
  throw new Error(`internal: the checker has no rule for type ${JSON.stringify(type)}`);
}

function article(word: string): string {
  return `${/^[aeiouAEIOU]/.test(word) && !word.startsWith("user") ? "an" : "a"} ${word}`;
}

export function describeExpr(expr: Expr): string {
  switch (expr.kind) {
    case "Number":
      return `the number \`${expr.raw}\``;
    case "String":
      return `the string ${expr.raw}`;
    case "Bool":
      return `\`${expr.value}\``;
    case "Reference":
      return `\`${expr.parts.map((p) => p.name).join(".")}\``;
    case "Metric":
      return `the metric \`${expr.name.name}@${expr.k.raw}\``;
    case "Call":
      return `a call to \`${expr.callee.parts.map((p) => p.name).join(".")}\``;
    case "Override":
      return "an override `{ … }`";
    case "List":
      return "a list";
    case "By":
      return "a `by` breakdown";
  }
}

function describeRange(t: { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean }): string {
  if (t.min !== undefined && t.max !== undefined) {
    return `in ${t.minExclusive ? "(" : "["}${t.min}, ${t.max}${t.maxExclusive ? ")" : "]"}`;
  }
  if (t.min !== undefined) return t.minExclusive ? `> ${t.min}` : `≥ ${t.min}`;
  if (t.max !== undefined) return t.maxExclusive ? `< ${t.max}` : `≤ ${t.max}`;
  return "valid";
}
