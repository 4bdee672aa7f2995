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
  /** Whether a data file or folder exists; only a host on a real file system has it, and only then are data paths checked. */
  fileExists?(path: string): boolean;
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
  /** The host the program was read through (data-paths.ts asks it whether data files exist). */
  readonly host?: CompilerHost;
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
        diagnostics.push(diagnostic("RS2004", path, item.path.span, { what: "imported file", path: item.path.value, resolved: target }));
        continue;
      }
      visit(target, importedText, [...stack, path]);
    }
  };

  const text = entryText ?? host.readFile(entry);
  if (text === undefined) {
    // The entry is no import: say which file it is, not "the imported file".
    diagnostics.push(diagnostic("RS2004", entry, { start: 0, end: 0 }, { what: "spec file", path: entry, resolved: entry }));
    return { files, diagnostics, host };
  }
  visit(entry, text, []);
  return { files, diagnostics, host };
}

export function resolveImport(from: string, item: Import): string {
  return normalize(join(dirname(from), item.path.value));
}
