// The server's view of the files: the documents open in the editor (their unsaved text wins) over the
// disk (for imports that are not open). Takes open/change/close events; gives a compiler host, and
// each document's program (the document and its imports, parsed) and analysis (checked and derived
// blocks, for hover's shapes), cached until any open document changes.
import { existsSync, readFileSync } from "node:fs";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { analyze, type Analysis } from "../compiler/check/index.js";
import { loadProgram, type CompilerHost, type Program } from "../compiler/check/program.js";
import { hasErrors } from "../compiler/diagnostics/diagnostic.js";
import { pathToUri, uriToPath } from "./uri.js";

interface Cached {
  readonly generation: number;
  readonly program: Program;
  analysis?: Analysis | null;
}

export class Workspace {
  private readonly open = new Map<string, TextDocument>();
  private readonly programs = new Map<string, Cached>();
  /** Bumped on every edit: any open document may be another's import, so every cache goes stale. */
  private generation = 0;

  readonly host: CompilerHost = {
    readFile: (path) => this.text(path),
    fileExists: existsSync,
  };

  update(document: TextDocument): void {
    this.open.set(uriToPath(document.uri), document);
    this.generation++;
  }

  close(uri: string): void {
    this.open.delete(uriToPath(uri));
    this.programs.delete(uriToPath(uri));
    this.generation++;
  }

  /** A file changed on disk: an import that is not open may read differently now. */
  touch(): void {
    this.generation++;
  }

  document(uri: string): TextDocument | undefined {
    return this.open.get(uriToPath(uri));
  }

  openDocuments(): TextDocument[] {
    return [...this.open.values()];
  }

  /** A file's text: the editor's buffer when open, else the disk's; undefined when neither has it. */
  text(path: string): string | undefined {
    const open = this.open.get(path);
    if (open) return open.getText();
    try {
      return readFileSync(path, "utf8");
    } catch {
      return undefined;
    }
  }

  /** The program rooted at `path`: the file and everything it imports, parsed (never throws). */
  program(path: string): Program {
    return this.cached(path).program;
  }

  /**
   * The program's analysis when it parses cleanly, else null. The checker reports every mistake it
   * meets and keeps going, so a spec with name or type errors still has the blocks that did check.
   */
  analysis(path: string): Analysis | null {
    const entry = this.cached(path);
    if (entry.analysis === undefined) {
      entry.analysis = null;
      if (!hasErrors(entry.program.diagnostics) && entry.program.files.length > 0) {
        try {
          entry.analysis = analyze(entry.program, []);
        } catch {
          // A rule that throws on a half-written spec leaves hover without shapes, nothing worse.
          entry.analysis = null;
        }
      }
    }
    return entry.analysis;
  }

  /**
   * Every file of every program that holds `path`: the programs of the open documents, and of
   * `path` itself. Renames and references reach the files that import a file as well as its imports.
   */
  related(path: string): Program["files"] {
    const out = new Map<string, Program["files"][number]>();
    const roots = [path, ...this.open.keys()];
    for (const root of roots) {
      const program = this.program(root);
      if (root !== path && !program.files.some((f) => f.path === path)) continue;
      for (const file of program.files) if (!out.has(file.path)) out.set(file.path, file);
    }
    return [...out.values()];
  }

  uriOf(path: string): string {
    return this.open.get(path)?.uri ?? pathToUri(path);
  }

  private cached(path: string): Cached {
    const hit = this.programs.get(path);
    if (hit && hit.generation === this.generation) return hit;
    const program = loadProgram(path, this.host, this.text(path) ?? "");
    const entry: Cached = { generation: this.generation, program };
    this.programs.set(path, entry);
    return entry;
  }
}
