// Test helper: loads the built grammar the way VS Code does (vscode-textmate over the oniguruma wasm)
// and tokenizes text line by line. Takes source text, gives each line's tokens with their scopes.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import oniguruma from "vscode-oniguruma";
import textmate from "vscode-textmate";
import { REPO_ROOT } from "../../grammar/build.js";
import { SCOPE_NAME } from "../../grammar/recspec.grammar.js";

export interface LineToken {
  text: string;
  start: number;
  end: number;
  scopes: string[];
}

const require = createRequire(import.meta.url);

async function loadGrammar(): Promise<textmate.IGrammar> {
  // The wasm sits beside the package's entry point; resolving it keeps us off hoisting details.
  const wasmPath = join(require.resolve("vscode-oniguruma"), "..", "onig.wasm");
  const wasm = readFileSync(wasmPath);
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const grammarPath = join(REPO_ROOT, "grammar/recspec.tmLanguage.json");
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) => (scopeName === SCOPE_NAME ? textmate.parseRawGrammar(readFileSync(grammarPath, "utf8"), grammarPath) : null),
  });
  const grammar = await registry.loadGrammar(SCOPE_NAME);
  if (!grammar) throw new Error(`no grammar for ${SCOPE_NAME}`);
  return grammar;
}

let cached: Promise<textmate.IGrammar> | undefined;

/** Tokenizes every line of `source`, carrying the rule stack across lines as an editor does. */
export async function tokenize(source: string): Promise<LineToken[][]> {
  cached ??= loadGrammar();
  const grammar = await cached;
  let stack = textmate.INITIAL;
  return source.split("\n").map((line) => {
    const result = grammar.tokenizeLine(line, stack);
    stack = result.ruleStack;
    return result.tokens.map((t) => ({
      text: line.slice(t.startIndex, t.endIndex),
      start: t.startIndex,
      end: t.endIndex,
      scopes: t.scopes,
    }));
  });
}
