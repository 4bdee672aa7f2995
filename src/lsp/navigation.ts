// Go to definition, find references and rename, for blocks, params and experiments, across a spec's
// imports and the open specs that import it (and go to definition on an import's file name). Takes the workspace, a file and an offset; gives
// locations, or a workspace edit (or why a rename cannot be done).
import type { Location, Range, WorkspaceEdit } from "vscode-languageserver";
import type { Span } from "../compiler/ast.js";
import { resolveImport } from "../compiler/check/program.js";
import { KEYWORDS } from "../compiler/lexer.js";
import { rangeMaker } from "./positions.js";
import { SymbolIndex } from "./symbol-index.js";
import type { Workspace } from "./workspace.js";

interface Site {
  readonly file: string;
  readonly span: Span;
}

class Sites {
  private readonly ranges = new Map<string, (span: Span) => Range>();

  constructor(
    private readonly workspace: Workspace,
    private readonly texts: Map<string, string>,
  ) {}

  location(site: Site): Location {
    let range = this.ranges.get(site.file);
    if (!range) this.ranges.set(site.file, (range = rangeMaker(this.texts.get(site.file) ?? "")));
    return { uri: this.workspace.uriOf(site.file), range: range(site.span) };
  }
}

interface Found {
  readonly name: string;
  /** The declaration first, then every use. */
  readonly sites: Site[];
  readonly at: Span;
  readonly locations: Sites;
}

function find(workspace: Workspace, path: string, offset: number): Found | undefined {
  const files = workspace.related(path);
  const index = new SymbolIndex(files);
  const named = index.nameAt(path, offset);
  const decl = named && index.declarations.get(named.name);
  if (!named || !decl) return undefined;
  const sites: Site[] = [{ file: decl.file, span: decl.id.span }, ...index.usesOf(named.name).map((u) => ({ file: u.file, span: u.id.span }))];
  return { name: named.name, sites, at: named.id.span, locations: new Sites(workspace, new Map(files.map((f) => [f.path, f.text]))) };
}

export function definitionAt(workspace: Workspace, path: string, offset: number): Location | undefined {
  const found = find(workspace, path, offset);
  return found ? found.locations.location(found.sites[0]) : importAt(workspace, path, offset);
}

/** On an import's string: the start of the file it names, resolved as the compiler resolves it. */
function importAt(workspace: Workspace, path: string, offset: number): Location | undefined {
  const file = workspace.program(path).files.find((f) => f.path === path);
  const item = file?.ast.items.find((i) => i.kind === "Import" && i.path.span.start <= offset && offset <= i.path.span.end);
  if (item?.kind !== "Import") return undefined;
  const target = resolveImport(path, item);
  if (workspace.text(target) === undefined) return undefined;
  const start = { line: 0, character: 0 };
  return { uri: workspace.uriOf(target), range: { start, end: start } };
}

export function referencesAt(workspace: Workspace, path: string, offset: number, includeDeclaration: boolean): Location[] {
  const found = find(workspace, path, offset);
  if (!found) return [];
  return (includeDeclaration ? found.sites : found.sites.slice(1)).map((s) => found.locations.location(s));
}

/** The range of the name a rename would change, with its text; undefined where nothing can be renamed. */
export function renameTarget(workspace: Workspace, path: string, offset: number): { range: Range; placeholder: string } | undefined {
  const found = find(workspace, path, offset);
  return found && { range: found.locations.location({ file: path, span: found.at }).range, placeholder: found.name };
}

export function renameAt(workspace: Workspace, path: string, offset: number, newName: string): WorkspaceEdit | string {
  const found = find(workspace, path, offset);
  if (!found) return "only a block, param or experiment can be renamed";
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(newName) || (KEYWORDS as readonly string[]).includes(newName)) return `\`${newName}\` is not a name`;
  if (newName !== found.name && new SymbolIndex(workspace.related(path)).declarations.has(newName)) return `\`${newName}\` is already declared`;
  const changes: Record<string, { range: Range; newText: string }[]> = {};
  for (const site of found.sites) {
    const location = found.locations.location(site);
    (changes[location.uri] ??= []).push({ range: location.range, newText: newName });
  }
  return { changes };
}
