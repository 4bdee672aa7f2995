// A language client for the tests: spawns `node bin/recspec.js lsp --stdio` and talks to it over
// its stdin/stdout with vscode-languageserver-protocol, as an editor does (initialize, initialized,
// didOpen, didChange, requests, shutdown, exit). Gives typed requests, the diagnostics the server
// publishes, and helpers to turn a piece of text into a position.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  CodeActionRequest,
  CompletionRequest,
  createProtocolConnection,
  DefinitionRequest,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentFormattingRequest,
  DocumentSymbolRequest,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PrepareRenameRequest,
  PublishDiagnosticsNotification,
  ReferencesRequest,
  RenameRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type CodeAction,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type DocumentSymbol,
  type Hover,
  type Location,
  type Position,
  type ProtocolConnection,
  type Range,
  type ServerCapabilities,
  type TextEdit,
  type WorkspaceEdit,
} from "vscode-languageserver-protocol/node";

export const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "recspec.js");

export const uriOf = (path: string): string => pathToFileURL(path).href;

/** The position of `needle`'s `at`-th character in `text` (the first occurrence after `from`). */
export function positionOf(text: string, needle: string, at = 0, from = 0): Position {
  const index = text.indexOf(needle, from);
  if (index < 0) throw new Error(`\`${needle}\` is not in the text`);
  return positionAt(text, index + at);
}

export function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split("\n").length - 1;
  return { line, character: offset - (before.lastIndexOf("\n") + 1) };
}

/** The text a range covers. */
export function textIn(text: string, range: Range): string {
  const lines = text.split("\n");
  const offset = (p: Position) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return text.slice(offset(range.start), offset(range.end));
}

/** Applies non-overlapping edits to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split("\n");
  const offset = (p: Position) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

export class LspClient {
  readonly logs: string[] = [];
  private readonly versions = new Map<string, number>();
  private readonly waiters = new Map<string, ((d: Diagnostic[]) => void)[]>();
  readonly latest = new Map<string, Diagnostic[]>();
  capabilities: ServerCapabilities = {};

  private constructor(
    readonly child: ChildProcess,
    readonly connection: ProtocolConnection,
    readonly stderr: () => string,
  ) {
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.latest.set(p.uri, p.diagnostics);
      const waiting = this.waiters.get(p.uri) ?? [];
      this.waiters.delete(p.uri);
      for (const resolve of waiting) resolve(p.diagnostics);
    });
    connection.onNotification(LogMessageNotification.type, (p) => void this.logs.push(p.message));
  }

  static async start(initializationOptions: Record<string, unknown> = { debounceMs: 20 }): Promise<LspClient> {
    const child = spawn(process.execPath, [BIN, "lsp", "--stdio"], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    connection.listen();
    const client = new LspClient(child, connection, () => stderr);
    const result = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uriOf(ROOT),
      capabilities: {},
      initializationOptions,
    });
    client.capabilities = result.capabilities;
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** The diagnostics published for `uri` next. */
  nextDiagnostics(uri: string, timeoutMs = 20_000): Promise<Diagnostic[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms`)), timeoutMs);
      const list = this.waiters.get(uri) ?? [];
      list.push((d) => {
        clearTimeout(timer);
        resolve(d);
      });
      this.waiters.set(uri, list);
    });
  }

  /** Opens a document; gives the diagnostics the server publishes for it. */
  async open(uri: string, text: string): Promise<Diagnostic[]> {
    const next = this.nextDiagnostics(uri);
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: "recspec", version: 1, text } });
    return next;
  }

  /** Replaces a document's text (or a range of it), as typing does; gives the next diagnostics. */
  async change(uri: string, text: string, range?: Range): Promise<Diagnostic[]> {
    const next = this.nextDiagnostics(uri);
    await this.edit(uri, text, range);
    return next;
  }

  /** A change without waiting for diagnostics (typing faster than the debounce). */
  async edit(uri: string, text: string, range?: Range): Promise<void> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [range ? { range, text } : { text }],
    });
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async completion(uri: string, position: Position): Promise<CompletionItem[]> {
    const r = (await this.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position })) as CompletionItem[] | CompletionList | null;
    return r === null ? [] : Array.isArray(r) ? r : r.items;
  }

  async hover(uri: string, position: Position): Promise<string | undefined> {
    const h = (await this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position })) as Hover | null;
    if (!h) return undefined;
    const c = h.contents;
    return typeof c === "string" ? c : "value" in c ? c.value : c.map((x) => (typeof x === "string" ? x : x.value)).join("\n");
  }

  async definition(uri: string, position: Position): Promise<Location | null> {
    return (await this.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position })) as Location | null;
  }

  async references(uri: string, position: Position, includeDeclaration = true): Promise<Location[]> {
    return (await this.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position, context: { includeDeclaration } })) ?? [];
  }

  async prepareRename(uri: string, position: Position): Promise<{ range: Range; placeholder: string } | null> {
    return (await this.connection.sendRequest(PrepareRenameRequest.type, { textDocument: { uri }, position })) as { range: Range; placeholder: string } | null;
  }

  async rename(uri: string, position: Position, newName: string): Promise<WorkspaceEdit | null> {
    return this.connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position, newName });
  }

  async symbols(uri: string): Promise<DocumentSymbol[]> {
    return ((await this.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) ?? []) as DocumentSymbol[];
  }

  async formatting(uri: string): Promise<TextEdit[]> {
    return (await this.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } })) ?? [];
  }

  async codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    return ((await this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics } })) ?? []) as CodeAction[];
  }

  /** Whether the server process is still running. */
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** shutdown, exit, and the process's exit status. */
  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => {
      if (!this.alive) resolve(this.child.exitCode);
      this.child.once("exit", (code) => resolve(code));
    });
    if (this.alive) {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    }
    const code = await exited;
    this.connection.dispose();
    return code;
  }
}
