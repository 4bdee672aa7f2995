// CST → AST. Takes the chevrotain CST (possibly with pieces missing where the parser recovered from
// errors) and gives readonly AST nodes; an item too broken to represent is dropped, never thrown on.
import type { CstElement, CstNode, IToken } from "chevrotain";
import type * as A from "./ast.js";
import { BLOCK_KINDS, type BlockKind } from "./lexer.js";
import { diagnostic, type Diagnostic } from "./diagnostics/diagnostic.js";

type Children = Record<string, CstElement[] | undefined>;

function isToken(e: CstElement | undefined): e is IToken {
  return e !== undefined && "image" in e;
}

function isNode(e: CstElement | undefined): e is CstNode {
  return e !== undefined && "children" in e;
}

/** A token is real when the parser did not invent it while recovering. */
function realToken(e: CstElement | undefined): IToken | undefined {
  return isToken(e) && !e.isInsertedInRecovery && Number.isFinite(e.startOffset) ? e : undefined;
}

function tokenSpan(t: IToken): A.Span {
  return { start: t.startOffset, end: (t.endOffset ?? t.startOffset) + 1 };
}

function join(a: A.Span, b: A.Span): A.Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/** Unescapes a string literal's body; only `\"`, `\\`, `\n`, `\r`, `\t` exist. */
function unquote(raw: string): string {
  return raw.slice(1, -1).replace(/\\(["\\nrt])/g, (_, c: string) => ({ n: "\n", r: "\r", t: "\t" })[c] ?? c);
}

export class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly file: string) {}

  build(cst: CstNode, comments: readonly IToken[], length: number): A.SpecFile {
    const items: A.TopItem[] = [];
    for (const child of this.nodes(cst.children, "topItem")) {
      const item = this.topItem(child);
      if (item) items.push(item);
    }
    return {
      kind: "File",
      items,
      comments: comments.map((t) => ({
        kind: "Comment",
        text: t.image,
        block: t.image.startsWith("/*"),
        span: tokenSpan(t),
      })),
      span: { start: 0, end: length },
    };
  }

  private nodes(children: Children, key: string): CstNode[] {
    return (children[key] ?? []).filter(isNode);
  }

  private node(children: Children, key: string, index = 0): CstNode | undefined {
    return this.nodes(children, key)[index];
  }

  private token(children: Children, key: string, index = 0): IToken | undefined {
    return realToken((children[key] ?? []).filter(isToken)[index]);
  }

  private ident(t: IToken | undefined): A.Identifier | null {
    return t ? { kind: "Identifier", name: t.image, span: tokenSpan(t) } : null;
  }

  private topItem(node: CstNode): A.TopItem | null {
    const c = node.children;
    const inner = Object.values(c).flat().find(isNode);
    if (!inner) return null;
    const ch = inner.children;
    switch (inner.name) {
      case "specDecl": {
        const kw = this.token(ch, "Spec");
        const name = this.ident(this.token(ch, "Name"));
        return kw && name ? { kind: "SpecName", name, span: join(tokenSpan(kw), name.span) } : null;
      }
      case "importDecl": {
        const kw = this.token(ch, "Import");
        const path = this.stringLit(this.token(ch, "StringLiteral"));
        return kw && path ? { kind: "Import", path, span: join(tokenSpan(kw), path.span) } : null;
      }
      case "paramDecl": {
        const kw = this.token(ch, "Param");
        const name = this.ident(this.token(ch, "Name"));
        const value = this.value(this.node(ch, "value"));
        return kw && name && value ? { kind: "Param", name, value, span: join(tokenSpan(kw), value.span) } : null;
      }
      case "blockDecl":
        return this.block(ch);
      case "evaluateDecl": {
        const kw = this.token(ch, "Evaluate");
        const model = this.reference(this.node(ch, "model"));
        const split = this.reference(this.node(ch, "split"));
        const body = this.body(this.node(ch, "body"));
        if (!kw || !model || !split) return null;
        return { kind: "Evaluate", model, split, body, span: join(tokenSpan(kw), (body ?? split).span) };
      }
      case "experimentDecl": {
        const kw = this.token(ch, "Experiment");
        const name = this.ident(this.token(ch, "Name"));
        const body = this.body(this.node(ch, "body"));
        if (!kw || !name || !body) return null;
        return { kind: "Experiment", name, body, span: join(tokenSpan(kw), body.span) };
      }
      default:
        return null;
    }
  }

  private block(ch: Children): A.Block | null {
    const kindToken = this.token(ch, "BlockKindToken");
    const name = this.ident(this.token(ch, "name"));
    const ctor = this.ident(this.token(ch, "ctor"));
    if (!kindToken || !name || !ctor || !(BLOCK_KINDS as readonly string[]).includes(kindToken.image)) return null;
    const argsNode = this.node(ch, "args");
    const args = argsNode ? this.args(argsNode) : null;
    if (argsNode && !args) return null;
    const body = this.body(this.node(ch, "body"));
    if (this.node(ch, "body") && !body) return null;
    const endSpan = body?.span ?? (argsNode ? this.nodeSpan(argsNode) : null) ?? ctor.span;
    return {
      kind: "Block",
      blockKind: kindToken.image as BlockKind,
      name,
      constructorName: ctor,
      args,
      body,
      span: join(tokenSpan(kindToken), endSpan),
    };
  }

  /** Span of a node from its first to its last real token. */
  private nodeSpan(node: CstNode): A.Span | null {
    let start = Infinity;
    let end = -Infinity;
    const visit = (e: CstElement) => {
      if (isToken(e)) {
        if (realToken(e)) {
          start = Math.min(start, e.startOffset);
          end = Math.max(end, (e.endOffset ?? e.startOffset) + 1);
        }
      } else for (const list of Object.values(e.children)) for (const x of list ?? []) visit(x);
    };
    visit(node);
    return Number.isFinite(start) ? { start, end } : null;
  }

  private body(node: CstNode | undefined): A.Body | null {
    if (!node) return null;
    const open = this.token(node.children, "LBrace");
    const close = this.token(node.children, "RBrace");
    if (!open || !close) return null;
    const items: A.BodyItem[] = [];
    for (const itemNode of this.nodes(node.children, "bodyItem")) {
      const item = this.bodyItem(itemNode);
      if (item) items.push(item);
    }
    return { kind: "Body", items, span: join(tokenSpan(open), tokenSpan(close)) };
  }

  private bodyItem(node: CstNode): A.BodyItem | null {
    const inner = Object.values(node.children).flat().find(isNode);
    if (!inner) return null;
    const ch = inner.children;
    switch (inner.name) {
      case "vary": {
        const kw = this.token(ch, "Vary");
        const target = this.reference(this.node(ch, "reference"));
        const values = this.list(this.node(ch, "list"));
        if (!kw || !target || !values) return null;
        return { kind: "Vary", target, values, span: join(tokenSpan(kw), values.span) };
      }
      case "nestedBlock": {
        const name = this.ident(this.token(ch, "Name"));
        const body = this.body(this.node(ch, "body"));
        if (!name || !body) return null;
        return { kind: "NestedBlock", name, body, span: join(name.span, body.span) };
      }
      case "assignment": {
        const target = this.reference(this.node(ch, "reference"));
        const value = this.value(this.node(ch, "value"));
        if (!target || !value || !this.token(ch, "Equals")) return null;
        return { kind: "Assignment", target, value, span: join(target.span, value.span) };
      }
      default:
        return null;
    }
  }

  private reference(node: CstNode | undefined): A.Reference | null {
    if (!node) return null;
    const names = (node.children.Name ?? []).filter(isToken);
    const parts: A.Identifier[] = [];
    for (const t of names) {
      const id = this.ident(realToken(t));
      if (!id) return null;
      parts.push(id);
    }
    if (parts.length === 0) return null;
    return { kind: "Reference", parts, span: join(parts[0].span, parts[parts.length - 1].span) };
  }

  private value(node: CstNode | undefined): A.Expr | null {
    if (!node) return null;
    const value = this.primary(this.node(node.children, "value"));
    if (!value) return null;
    const byNode = this.node(node.children, "by");
    if (!byNode && !this.token(node.children, "By")) return value;
    const by = this.primary(byNode);
    if (!by) return null;
    return { kind: "By", value, by, span: join(value.span, by.span) };
  }

  private primary(node: CstNode | undefined): A.Expr | null {
    if (!node) return null;
    const ch = node.children;
    const num = this.token(ch, "NumberLiteral");
    if (num) return this.numberLit(num);
    const str = this.token(ch, "StringLiteral");
    if (str) return this.stringLit(str);
    const t = this.token(ch, "True") ?? this.token(ch, "False");
    if (t) return { kind: "Bool", value: t.image === "true", span: tokenSpan(t) };
    const list = this.node(ch, "list");
    if (list) return this.list(list);
    const metric = this.node(ch, "metric");
    if (metric) {
      const name = this.ident(this.token(metric.children, "Name"));
      const kTok = this.token(metric.children, "NumberLiteral");
      const k = kTok ? this.numberLit(kTok) : null;
      if (!name || !k) return null;
      return { kind: "Metric", name, k, span: join(name.span, k.span) };
    }
    const cr = this.node(ch, "callOrReference");
    if (cr) return this.callOrReference(cr);
    return null;
  }

  private callOrReference(node: CstNode): A.Expr | null {
    const ref = this.reference(this.node(node.children, "reference"));
    if (!ref) return null;
    let base: A.Reference | A.Call = ref;
    const argsNode = this.node(node.children, "args");
    if (argsNode) {
      const args = this.args(argsNode);
      const close = this.token(argsNode.children, "RParen");
      if (!args || !close) return null;
      base = { kind: "Call", callee: ref, args, span: join(ref.span, tokenSpan(close)) };
    }
    const bodyNode = this.node(node.children, "body");
    if (!bodyNode) return base;
    const body = this.body(bodyNode);
    if (!body) return null;
    return { kind: "Override", base, body, span: join(base.span, body.span) };
  }

  private args(node: CstNode): A.Argument[] | null {
    if (!this.token(node.children, "LParen") || !this.token(node.children, "RParen")) return null;
    const args: A.Argument[] = [];
    for (const argNode of this.nodes(node.children, "argument")) {
      const value = this.value(this.node(argNode.children, "value"));
      if (!value) return null;
      const nameTok = this.token(argNode.children, "Name");
      const name = this.ident(nameTok);
      if ((argNode.children.Name ?? []).length > 0 && !name) return null;
      args.push({ kind: "Argument", name, value, span: name ? join(name.span, value.span) : value.span });
    }
    return args;
  }

  private list(node: CstNode | undefined): A.ListExpr | null {
    if (!node) return null;
    const open = this.token(node.children, "LBracket");
    const close = this.token(node.children, "RBracket");
    if (!open || !close) return null;
    const items: A.Expr[] = [];
    for (const v of this.nodes(node.children, "value")) {
      const value = this.value(v);
      if (!value) return null;
      items.push(value);
    }
    return { kind: "List", items, span: join(tokenSpan(open), tokenSpan(close)) };
  }

  private numberLit(t: IToken): A.NumberLit {
    const value = Number(t.image.replace(/_/g, ""));
    if (!Number.isFinite(value)) {
      this.diagnostics.push(diagnostic("RS1005", this.file, tokenSpan(t), { raw: t.image }));
    }
    return { kind: "Number", value: Number.isFinite(value) ? value : 0, raw: t.image, span: tokenSpan(t) };
  }

  private stringLit(t: IToken | undefined): A.StringLit | null {
    if (!t) return null;
    return { kind: "String", value: unquote(t.image), raw: t.image, span: tokenSpan(t) };
  }
}
