// The program's names: every block, param and experiment across the entry file and its imports,
// with where each is declared. Duplicates are reported here, pointing at both declarations.
import type { Block, Experiment, Param } from "../ast.js";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Program } from "./program.js";

export type Declaration =
  | { readonly kind: "block"; readonly node: Block; readonly file: string }
  | { readonly kind: "param"; readonly node: Param; readonly file: string }
  | { readonly kind: "experiment"; readonly node: Experiment; readonly file: string };

export interface Scope {
  readonly names: Map<string, Declaration>;
  /** Names referenced anywhere (for unused-block warnings). */
  readonly used: Set<string>;
}

export function declarationName(d: Declaration): string {
  return d.node.name.name;
}

/** What a declaration is, in words: "a dataset", "a param", "an experiment". */
export function describeDeclaration(d: Declaration): string {
  if (d.kind === "param") return "a param";
  if (d.kind === "experiment") return "an experiment";
  const kind = d.node.blockKind;
  return `${kind === "features" ? "a features block" : `${/^[aeiou]/.test(kind) ? "an" : "a"} ${kind}`}`;
}

export function buildScope(program: Program, diagnostics: Diagnostic[]): Scope {
  const names = new Map<string, Declaration>();
  for (const file of program.files) {
    for (const item of file.ast.items) {
      let decl: Declaration | undefined;
      if (item.kind === "Block") decl = { kind: "block", node: item, file: file.path };
      else if (item.kind === "Param") decl = { kind: "param", node: item, file: file.path };
      else if (item.kind === "Experiment") decl = { kind: "experiment", node: item, file: file.path };
      if (!decl) continue;
      const name = declarationName(decl);
      const first = names.get(name);
      if (first) {
        diagnostics.push(
          diagnostic(
            "RS2002",
            decl.file,
            decl.node.name.span,
            { name },
            {
              label: "declared again here",
              labels: [{ file: first.file, span: first.node.name.span, message: "first declared here" }],
              help: "names are shared by every block, param and experiment of a spec and its imports",
            },
          ),
        );
        continue;
      }
      names.set(name, decl);
    }
  }
  return { names, used: new Set() };
}
