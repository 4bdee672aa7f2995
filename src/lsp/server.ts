// The recspec language server: wires an LSP connection to the features (one file each). Takes a
// connection (stdio from `recspec lsp`); serves diagnostics as you type, completion, hover, go to
// definition, references, rename, the outline, formatting and quick fixes. The compiler is used as
// a library: every answer comes from its lexer, parser, checker and tables.
import {
  CodeActionKind,
  ErrorCodes,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
  type TextDocumentPositionParams,
} from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import { VERSION } from "../version.js";
import { quickFixes } from "./code-actions.js";
import { completionContext } from "./completion-context.js";
import { completionItems } from "./completion.js";
import { DiagnosticScheduler } from "./diagnostic-scheduler.js";
import { formattingEdits } from "./formatting.js";
import { hoverAt } from "./hover.js";
import { definitionAt, referencesAt, renameAt, renameTarget } from "./navigation.js";
import { rangeMaker } from "./positions.js";
import { SymbolIndex } from "./symbol-index.js";
import { documentSymbols } from "./symbols.js";
import { uriToPath } from "./uri.js";
import { Workspace } from "./workspace.js";

/** Quiet time after a keystroke before the spec is checked again, unless the client asks otherwise. */
export const DEFAULT_DEBOUNCE_MS = 200;

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const workspace = new Workspace();
  let scheduler: DiagnosticScheduler | undefined;

  connection.onInitialize((params): InitializeResult => {
    const options = params.initializationOptions as { debounceMs?: unknown } | undefined;
    const debounce = typeof options?.debounceMs === "number" && options.debounceMs >= 0 ? options.debounceMs : DEFAULT_DEBOUNCE_MS;
    scheduler = new DiagnosticScheduler(
      workspace,
      (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }),
      (error) => connection.console.error(`recspec: internal error while checking: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
      debounce,
    );
    return {
      serverInfo: { name: "recspec", version: VERSION },
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: ["(", "[", ",", ":", "=", ".", " "] },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        documentFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
    };
  });

  // The change event also fires for an opening, right after the open event: that one is no edit.
  const justOpened = new Set<string>();
  documents.onDidOpen((e) => {
    workspace.update(e.document);
    justOpened.add(e.document.uri);
    scheduler?.opened(e.document.uri);
  });
  documents.onDidChangeContent((e) => {
    workspace.update(e.document);
    if (!justOpened.delete(e.document.uri)) scheduler?.changed(e.document.uri);
  });
  documents.onDidClose((e) => {
    workspace.close(e.document.uri);
    scheduler?.closed(e.document.uri);
  });

  // Sent by clients that watch `**/*.recspec` (or data files) for the server.
  connection.onDidChangeWatchedFiles(() => {
    workspace.touch();
    scheduler?.changedOnDisk();
  });

  /** The open document of a request, its path and the request's offset. */
  const at = (params: TextDocumentPositionParams) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return undefined;
    return { document, path: uriToPath(document.uri), text: document.getText(), offset: document.offsetAt(params.position) };
  };
  const indexOf = (path: string) => new SymbolIndex(workspace.program(path).files);

  connection.onCompletion((params) => {
    const here = at(params);
    if (!here) return [];
    const index = indexOf(here.path);
    const { context, wordStart } = completionContext(here.text, here.offset, index);
    return completionItems(context, index, { start: here.document.positionAt(wordStart), end: params.position });
  });

  connection.onHover((params) => {
    const here = at(params);
    if (!here) return null;
    const found = hoverAt(here.text, here.path, here.offset, indexOf(here.path), workspace.analysis(here.path), (file) => workspace.text(file));
    if (!found) return null;
    return {
      contents: { kind: "markdown", value: found.markdown },
      range: { start: here.document.positionAt(found.start), end: here.document.positionAt(found.end) },
    };
  });

  connection.onDefinition((params) => {
    const here = at(params);
    return (here && definitionAt(workspace, here.path, here.offset)) ?? null;
  });

  connection.onReferences((params) => {
    const here = at(params);
    return here ? referencesAt(workspace, here.path, here.offset, params.context.includeDeclaration) : [];
  });

  connection.onPrepareRename((params) => {
    const here = at(params);
    return (here && renameTarget(workspace, here.path, here.offset)) ?? null;
  });

  connection.onRenameRequest((params) => {
    const here = at(params);
    if (!here) return null;
    const edit = renameAt(workspace, here.path, here.offset, params.newName);
    if (typeof edit === "string") throw new ResponseError(ErrorCodes.InvalidParams, edit);
    return edit;
  });

  connection.onDocumentSymbol((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    const file = workspace.program(uriToPath(document.uri)).files[0];
    return file ? documentSymbols(file.ast, rangeMaker(file.text)) : [];
  });

  connection.onDocumentFormatting((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    const text = document.getText();
    return formattingEdits(text, uriToPath(document.uri), { start: { line: 0, character: 0 }, end: document.positionAt(text.length) });
  });

  connection.onCodeAction((params) => {
    const document = documents.get(params.textDocument.uri);
    return document ? quickFixes(document, params.context.diagnostics) : [];
  });

  connection.onShutdown(() => scheduler?.dispose());
  documents.listen(connection);
  connection.listen();
}
