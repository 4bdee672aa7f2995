// Loads a spec and everything it imports into one program: each file parsed once, imports resolved
// relative to the importing file, missing files and import cycles reported at the `import`.
// File access goes through a host, so this phase is pure and testable.
import { dirname, join, normalize } from "node:path";
import type { Import, SpecFile } from "../ast.js";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { parse } from "../parse.js";

export interface CompilerHost {
  /** The file's text, or undefined when it cannot be read. */
  readFile(path: string): string | undefined;
}

export interface ProgramFile {
  readonly path: string;
  readonly text: string;
  readonly ast: SpecFile;
}

export interface Program {
  /** The entry file first, then imports in the order they were reached. */
  readonly files: readonly ProgramFile[];
  readonly diagnostics: Diagnostic[];
}

export function loadProgram(entry: string, host: CompilerHost, entryText?: string): Program {
  const files: ProgramFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const loaded = new Map<string, ProgramFile>();

  const visit = (path: string, text: string, stack: string[]) => {
    const parsed = parse(text, path);
    const file: ProgramFile = { path, text, ast: parsed.ast };
    loaded.set(path, file);
    files.push(file);
    diagnostics.push(...parsed.diagnostics);
    for (const item of parsed.ast.items) {
      if (item.kind !== "Import") continue;
      const target = resolveImport(path, item);
      if (stack.includes(target) || target === path) {
        const cycle = [...stack.slice(stack.indexOf(target)), path, target].join(" → ");
        diagnostics.push(diagnostic("RS2005", path, item.path.span, { cycle }));
        continue;
      }
      if (loaded.has(target)) continue;
      const importedText = host.readFile(target);
      if (importedText === undefined) {
        diagnostics.push(diagnostic("RS2004", path, item.path.span, { path: item.path.value, resolved: target }));
        continue;
      }
      visit(target, importedText, [...stack, path]);
    }
  };

  const text = entryText ?? host.readFile(entry);
  if (text === undefined) {
    diagnostics.push(diagnostic("RS2004", entry, { start: 0, end: 0 }, { path: entry, resolved: entry }));
    return { files, diagnostics };
  }
  visit(entry, text, []);
  return { files, diagnostics };
}

function resolveImport(from: string, item: Import): string {
  return normalize(join(dirname(from), item.path.value));
}
