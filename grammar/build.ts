// Writes the TextMate grammar JSON from grammar/recspec.grammar.ts: once beside its source, once in
// the VS Code extension (which must be self-contained to be packaged). `--check` writes nothing and
// exits 1 when either file is stale, for CI. Run: `npx tsx grammar/build.ts [--check]`.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { recspecGrammar } from "./recspec.grammar.js";

/** The repository root, whatever the working directory. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Where the grammar goes, relative to the repository root. */
export const GRAMMAR_OUTPUTS = ["grammar/recspec.tmLanguage.json", "editors/vscode/syntaxes/recspec.tmLanguage.json"] as const;

/** Pretty, deterministic JSON: key order is the builder's, and the file ends with a newline. */
export function renderGrammarJson(): string {
  return `${JSON.stringify(recspecGrammar, null, 2)}\n`;
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

/** The outputs whose content differs from what the builder would write now. */
export function staleOutputs(root = REPO_ROOT): string[] {
  const expected = renderGrammarJson();
  return GRAMMAR_OUTPUTS.filter((out) => readOrEmpty(join(root, out)) !== expected);
}

export function writeOutputs(root = REPO_ROOT): void {
  const text = renderGrammarJson();
  for (const out of GRAMMAR_OUTPUTS) {
    const path = join(root, out);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
}

function main(args: string[]): number {
  if (args.includes("--check")) {
    const stale = staleOutputs();
    for (const out of stale) console.error(`stale: ${out} (run \`npx tsx grammar/build.ts\`)`);
    return stale.length === 0 ? 0 : 1;
  }
  writeOutputs();
  for (const out of GRAMMAR_OUTPUTS) console.log(`wrote ${out}`);
  return 0;
}

// Importing this module (the stale test does) must not write anything.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
