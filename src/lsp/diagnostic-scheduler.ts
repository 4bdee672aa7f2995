// When diagnostics are computed and where they are sent: a document is checked at once when opened
// and a moment after the user stops typing (debounced per document), and so is every open document
// that imports it. Takes the workspace and a publish function; gives open/change/close events.
import type { Diagnostic as LspDiagnostic } from "vscode-languageserver";
import { checkDocument, syntaxDiagnostics } from "./diagnostics.js";
import { uriToPath } from "./uri.js";
import type { Workspace } from "./workspace.js";

export type Publish = (uri: string, diagnostics: LspDiagnostic[]) => void;

export class DiagnosticScheduler {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly workspace: Workspace,
    private readonly publish: Publish,
    private readonly onError: (error: unknown) => void,
    /** Quiet time after the last keystroke before a check. */
    readonly debounceMs: number,
  ) {}

  opened(uri: string): void {
    this.schedule(uri, 0);
  }

  changed(uri: string): void {
    this.schedule(uri, this.debounceMs);
  }

  /** Files changed on disk (an import, a data file): every open document is checked again. */
  changedOnDisk(): void {
    for (const doc of this.workspace.openDocuments()) this.schedule(doc.uri, this.debounceMs);
  }

  /** After the workspace forgot the document: its diagnostics cleared, its importers read it from disk again. */
  closed(uri: string): void {
    this.cancel(uri);
    this.publish(uri, []);
    for (const importer of this.importers(uri)) this.schedule(importer, this.debounceMs);
  }

  dispose(): void {
    for (const uri of [...this.timers.keys()]) this.cancel(uri);
  }

  /** The other open documents whose programs read `uri`'s file. */
  private importers(uri: string): string[] {
    const path = uriToPath(uri);
    return this.workspace
      .openDocuments()
      .map((doc) => doc.uri)
      .filter((other) => other !== uri && this.workspace.program(uriToPath(other)).files.some((f) => f.path === path));
  }

  private cancel(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(uri);
  }

  private schedule(uri: string, delay: number): void {
    this.cancel(uri);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.run(uri);
      }, delay),
    );
  }

  private run(uri: string): void {
    // The document itself, then the open documents whose programs read it.
    for (const entry of [uri, ...this.importers(uri)]) {
      if (!this.workspace.document(entry)) continue;
      try {
        const byUri = checkDocument(this.workspace, uriToPath(entry));
        // An open document's diagnostics come from its own check, a closed import's from its
        // importer's: imports first, so a client has them by the time the document's own arrive.
        for (const [target, diagnostics] of byUri) if (target !== entry && !this.workspace.document(target)) this.publish(target, diagnostics);
        this.publish(entry, byUri.get(entry) ?? []);
      } catch (error) {
        // A checker bug must not leave the editor with stale diagnostics: the syntax ones still hold.
        this.onError(error);
        this.publish(entry, syntaxDiagnostics(this.workspace, uriToPath(entry)));
      }
    }
  }
}
