// fast-check generators for recspec ASTs: take nothing, give arbitraries of every node kind with
// zero spans and no comments, shaped as the grammar allows (a `by` never nests, a `spec` comes
// first) so that printing one gives text the parser accepts. Spans are ignored when comparing.
import fc from "fast-check";
import type * as A from "../../src/compiler/ast.js";
import { BLOCK_KINDS, KEYWORDS } from "../../src/compiler/lexer.js";

const span: A.Span = { start: 0, end: 0 };
const keywords = new Set<string>(KEYWORDS);

export const identifier: fc.Arbitrary<A.Identifier> = fc
  .stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,9}$/)
  .filter((name) => !keywords.has(name))
  .map((name) => ({ kind: "Identifier", name, span }));

const digits = fc.array(fc.stringMatching(/^[0-9]{1,3}$/), { minLength: 1, maxLength: 3 }).map((groups) => groups.join("_"));

/** Spellings like `200_000`, `1e-3`, `-1`, `0.25`, `1_0.5E+7`. */
export const numberLit: fc.Arbitrary<A.NumberLit> = fc
  .tuple(
    fc.boolean(),
    digits,
    fc.option(digits, { nil: undefined }),
    fc.option(fc.tuple(fc.constantFrom("e", "E"), fc.constantFrom("", "+", "-"), fc.stringMatching(/^[0-9]{1,2}$/)), {
      nil: undefined,
    }),
  )
  .map(([negative, int, frac, exp]) => {
    const raw = `${negative ? "-" : ""}${int}${frac !== undefined ? `.${frac}` : ""}${exp ? exp.join("") : ""}`;
    return { kind: "Number", value: Number(raw.replace(/_/g, "")), raw, span };
  });

const escapes: Record<string, string> = { '\\"': '"', "\\\\": "\\", "\\n": "\n", "\\r": "\r", "\\t": "\t" };

export const stringLit: fc.Arbitrary<A.StringLit> = fc
  .array(fc.oneof(fc.constantFrom(...Object.keys(escapes)), fc.stringMatching(/^[a-z0-9 ./_é-]{1,4}$/)), {
    maxLength: 4,
  })
  .map((pieces) => ({
    kind: "String",
    raw: `"${pieces.join("")}"`,
    value: pieces.map((p) => escapes[p] ?? p).join(""),
    span,
  }));

export const boolLit: fc.Arbitrary<A.BoolLit> = fc.boolean().map((value) => ({ kind: "Bool", value, span }));

export const reference: fc.Arbitrary<A.Reference> = fc.array(identifier, { minLength: 1, maxLength: 3 }).map((parts) => ({ kind: "Reference", parts, span }));

export const metric: fc.Arbitrary<A.Metric> = fc.tuple(identifier, numberLit).map(([name, k]) => ({ kind: "Metric", name, k, span }));

// A type alias, not an interface: fc.letrec's typed overload needs an index-compatible record.
type Tree = {
  primary: A.Expr;
  value: A.Expr;
  list: A.ListExpr;
  call: A.Call;
  override: A.Override;
  body: A.Body;
  bodyItem: A.BodyItem;
};

const tree = fc.letrec<Tree>((tie) => ({
  // Literals first: fast-check's depth control falls back to the first choices as depth grows.
  primary: fc.oneof({ depthSize: "small", maxDepth: 3 }, numberLit, stringLit, boolLit, reference, metric, tie("list"), tie("call"), tie("override")),
  value: fc.oneof(
    { weight: 4, arbitrary: tie("primary") },
    {
      weight: 1,
      arbitrary: fc.tuple(tie("primary"), tie("primary")).map(([value, by]): A.ByExpr => ({ kind: "By", value, by, span })),
    },
  ),
  list: fc.array(tie("value"), { maxLength: 4 }).map((items): A.ListExpr => ({ kind: "List", items, span })),
  call: fc.tuple(reference, fc.array(argument(tie("value")), { maxLength: 4 })).map(([callee, args]): A.Call => ({ kind: "Call", callee, args, span })),
  override: fc
    .tuple(fc.oneof(reference, tie("call") as fc.Arbitrary<A.Call>), tie("body") as fc.Arbitrary<A.Body>)
    .map(([base, body]): A.Override => ({ kind: "Override", base, body, span })),
  body: fc.array(tie("bodyItem"), { maxLength: 3 }).map((items): A.Body => ({ kind: "Body", items, span })),
  bodyItem: fc.oneof(
    { depthSize: "small", maxDepth: 2 },
    fc.tuple(reference, tie("value")).map(([target, value]): A.Assignment => ({ kind: "Assignment", target, value, span })),
    fc.tuple(reference, tie("list") as fc.Arbitrary<A.ListExpr>).map(([target, values]): A.Vary => ({ kind: "Vary", target, values, span })),
    fc.tuple(identifier, tie("body") as fc.Arbitrary<A.Body>).map(([name, body]): A.NestedBlock => ({ kind: "NestedBlock", name, body, span })),
  ),
}));

function argument(value: fc.Arbitrary<A.Expr>): fc.Arbitrary<A.Argument> {
  return fc.tuple(fc.option(identifier, { nil: null }), value).map(([name, v]) => ({ kind: "Argument", name, value: v, span }));
}

export const value = tree.value;
export const body = tree.body;

export const topItem: fc.Arbitrary<A.TopItem> = fc.oneof(
  stringLit.map((path): A.Import => ({ kind: "Import", path, span })),
  fc.tuple(identifier, value).map(([name, v]): A.Param => ({ kind: "Param", name, value: v, span })),
  fc
    .tuple(
      fc.constantFrom(...BLOCK_KINDS),
      identifier,
      identifier,
      fc.option(fc.array(argument(value), { maxLength: 4 }), { nil: null }),
      fc.option(body, { nil: null }),
    )
    .map(([blockKind, name, constructorName, args, b]): A.Block => ({
      kind: "Block",
      blockKind,
      name,
      constructorName,
      args,
      body: b,
      span,
    })),
  fc.tuple(reference, reference, fc.option(body, { nil: null })).map(([model, split, b]): A.Evaluate => ({ kind: "Evaluate", model, split, body: b, span })),
  fc.tuple(identifier, body).map(([name, b]): A.Experiment => ({ kind: "Experiment", name, body: b, span })),
);

/** A whole file: an optional `spec NAME` first, then any declarations; no comments. */
export const specFile: fc.Arbitrary<A.SpecFile> = fc.tuple(fc.option(identifier, { nil: null }), fc.array(topItem, { maxLength: 5 })).map(([name, rest]) => ({
  kind: "File",
  items: name ? [{ kind: "SpecName", name, span } as A.SpecName, ...rest] : rest,
  comments: [],
  span,
}));
