// The names of a set of parsed files: where each block, param and experiment is declared, and every
// place a value refers to one (`sequential(beauty)`, `ids: sid`, `evaluate tiger on beauty.test`,
// `vary tiger.ids in [sid]`, `steps = steps`). Takes program files; gives declarations and uses, for
// go to definition, find references, rename and hover. Attribute keys, constructor names and
// metric names are never uses: only the first part of a reference can name a declaration.
import type { Block, Body, Expr, Experiment, Identifier, Param, Span, SpecFile } from "../compiler/ast.js";
import { signatureOf } from "../compiler/check/signatures/index.js";
import type { Signature } from "../compiler/check/types.js";

export interface Declared {
  readonly name: string;
  readonly file: string;
  readonly node: Block | Param | Experiment;
  readonly id: Identifier;
}

export interface Use {
  readonly file: string;
  readonly id: Identifier;
}

interface IndexedFile {
  readonly path: string;
  readonly ast: SpecFile;
}

export class SymbolIndex {
  /** The first declaration of each name (a second one is RS2002, reported by the checker). */
  readonly declarations = new Map<string, Declared>();
  readonly uses: Use[] = [];

  constructor(files: readonly IndexedFile[]) {
    for (const file of files) {
      for (const item of file.ast.items) {
        if ((item.kind === "Block" || item.kind === "Param" || item.kind === "Experiment") && !this.declarations.has(item.name.name)) {
          this.declarations.set(item.name.name, { name: item.name.name, file: file.path, node: item, id: item.name });
        }
      }
    }
    for (const file of files) collectUses(file, this.uses);
  }

  /** The signature of the block declared as `name` (its kind's constructor), if any. */
  blockSignature(name: string): Signature | undefined {
    const node = this.declarations.get(name)?.node;
    return node?.kind === "Block" ? signatureOf(node.blockKind, node.constructorName.name) : undefined;
  }

  /** Every use of `name` that names a declaration. */
  usesOf(name: string): Use[] {
    return this.uses.filter((u) => u.id.name === name);
  }

  /** The declared name at `offset` of `file`: its declaration's identifier or a use of it. */
  nameAt(file: string, offset: number): { name: string; id: Identifier } | undefined {
    const inside = (span: Span) => span.start <= offset && offset <= span.end;
    for (const d of this.declarations.values()) if (d.file === file && inside(d.id.span)) return { name: d.name, id: d.id };
    for (const u of this.uses) if (u.file === file && inside(u.id.span) && this.declarations.has(u.id.name)) return { name: u.id.name, id: u.id };
    return undefined;
  }
}

function collectUses(file: IndexedFile, out: Use[]): void {
  // A reference the parser recovered may have lost its parts.
  const use = (id: Identifier | undefined) => {
    if (id) out.push({ file: file.path, id });
  };
  const expr = (e: Expr): void => {
    switch (e.kind) {
      case "Reference":
        use(e.parts[0]);
        return;
      case "Call":
        for (const a of e.args) expr(a.value);
        return;
      case "Override":
        expr(e.base);
        body(e.body);
        return;
      case "List":
        e.items.forEach(expr);
        return;
      case "By":
        expr(e.value);
        expr(e.by);
        return;
      default:
        return;
    }
  };
  const body = (b: Body | null): void => {
    for (const item of b?.items ?? []) {
      if (item.kind === "Assignment") expr(item.value);
      else if (item.kind === "NestedBlock") body(item.body);
      else {
        use(item.target.parts[0]);
        expr(item.values);
      }
    }
  };
  for (const item of file.ast.items) {
    if (item.kind === "Block") {
      for (const a of item.args ?? []) expr(a.value);
      body(item.body);
    } else if (item.kind === "Param") expr(item.value);
    else if (item.kind === "Evaluate") {
      use(item.model.parts[0]);
      use(item.split.parts[0]);
      body(item.body);
    } else if (item.kind === "Experiment") body(item.body);
  }
}
