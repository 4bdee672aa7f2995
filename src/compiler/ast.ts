// The recspec abstract syntax tree: plain readonly data with a string `kind` and a source span on
// every node. Built from the chevrotain CST by build-ast.ts; read by the checker and the formatter.
import type { BlockKind } from "./lexer.js";

/** Half-open range of character offsets into one file's text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface Identifier {
  readonly kind: "Identifier";
  readonly name: string;
  readonly span: Span;
}

export interface NumberLit {
  readonly kind: "Number";
  readonly value: number;
  /** As written (`200_000`, `1e-3`), so the formatter keeps the user's spelling. */
  readonly raw: string;
  readonly span: Span;
}

export interface StringLit {
  readonly kind: "String";
  readonly value: string;
  readonly raw: string;
  readonly span: Span;
}

export interface BoolLit {
  readonly kind: "Bool";
  readonly value: boolean;
  readonly span: Span;
}

/** A name or a dotted path into a block: `beauty`, `beauty.test`, `tiger.encoder.heads`. */
export interface Reference {
  readonly kind: "Reference";
  readonly parts: readonly Identifier[];
  readonly span: Span;
}

/** A metric at a cut-off: `recall@10`, `ndcg@5`. */
export interface Metric {
  readonly kind: "Metric";
  readonly name: Identifier;
  readonly k: NumberLit;
  readonly span: Span;
}

export interface Argument {
  readonly kind: "Argument";
  /** Null for a positional argument. */
  readonly name: Identifier | null;
  readonly value: Expr;
  readonly span: Span;
}

/** `f(a, k: v)`: a constructor, option or function applied to arguments. */
export interface Call {
  readonly kind: "Call";
  readonly callee: Reference;
  readonly args: readonly Argument[];
  readonly span: Span;
}

/** `sasrec { embedding = 16 }`: another block's value with some attributes replaced. */
export interface Override {
  readonly kind: "Override";
  readonly base: Reference | Call;
  readonly body: Body;
  readonly span: Span;
}

export interface ListExpr {
  readonly kind: "List";
  readonly items: readonly Expr[];
  readonly span: Span;
}

/** `hr@10 by popularity(head: 0.2)`: a metric broken down by a slicing. */
export interface ByExpr {
  readonly kind: "By";
  readonly value: Expr;
  readonly by: Expr;
  readonly span: Span;
}

export type Expr = NumberLit | StringLit | BoolLit | Reference | Metric | Call | Override | ListExpr | ByExpr;

/** `key = value` or `encoder.layers = 1` inside a body. */
export interface Assignment {
  readonly kind: "Assignment";
  readonly target: Reference;
  readonly value: Expr;
  readonly span: Span;
}

/** `train { … }` inside a body. */
export interface NestedBlock {
  readonly kind: "NestedBlock";
  readonly name: Identifier;
  readonly body: Body;
  readonly span: Span;
}

/** `vary users.interests in [1, 3]` inside an experiment. */
export interface Vary {
  readonly kind: "Vary";
  readonly target: Reference;
  readonly values: ListExpr;
  readonly span: Span;
}

export type BodyItem = Assignment | NestedBlock | Vary;

export interface Body {
  readonly kind: "Body";
  readonly items: readonly BodyItem[];
  readonly span: Span;
}

export interface SpecName {
  readonly kind: "SpecName";
  readonly name: Identifier;
  readonly span: Span;
}

export interface Import {
  readonly kind: "Import";
  readonly path: StringLit;
  readonly span: Span;
}

export interface Param {
  readonly kind: "Param";
  readonly name: Identifier;
  readonly value: Expr;
  readonly span: Span;
}

/** `model tiger = generative(beauty, ids: sid) { … }`. `args` is null when written without `( )`. */
export interface Block {
  readonly kind: "Block";
  readonly blockKind: BlockKind;
  readonly name: Identifier;
  readonly constructorName: Identifier;
  readonly args: readonly Argument[] | null;
  readonly body: Body | null;
  readonly span: Span;
}

/** `evaluate sasrec on beauty.test { … }`. */
export interface Evaluate {
  readonly kind: "Evaluate";
  readonly model: Reference;
  readonly split: Reference;
  readonly body: Body | null;
  readonly span: Span;
}

export interface Experiment {
  readonly kind: "Experiment";
  readonly name: Identifier;
  readonly body: Body;
  readonly span: Span;
}

export type TopItem = SpecName | Import | Param | Block | Evaluate | Experiment;

/** A whole `.recspec` file: its top-level items in source order, and its comments. */
export interface SpecFile {
  readonly kind: "File";
  readonly items: readonly TopItem[];
  readonly comments: readonly Comment[];
  readonly span: Span;
}

export interface Comment {
  readonly kind: "Comment";
  readonly text: string;
  readonly block: boolean;
  readonly span: Span;
}

export type Node = SpecFile | TopItem | BodyItem | Body | Expr | Argument | Identifier | Comment;

export function isBlock(item: TopItem): item is Block {
  return item.kind === "Block";
}
