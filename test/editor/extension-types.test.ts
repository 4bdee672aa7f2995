// The extension's CommonJS sources type-check against the VS Code API and vscode-languageclient
// (their JSDoc types, through editors/vscode/jsconfig.json), so a wrong API call fails here and not
// in a user's editor. Skipped, saying why, until `npm ci` has run in editors/vscode.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../grammar/build.js";

const EXT = join(REPO_ROOT, "editors/vscode");
const installed = existsSync(join(EXT, "node_modules/@types/vscode")) && existsSync(join(EXT, "node_modules/vscode-languageclient"));
if (!installed) console.log("skipping the extension type check: run `npm ci --prefix editors/vscode` (or `npm run build:vsix`) first");

describe.skipIf(!installed)("VS Code extension sources", () => {
  it("type-check against the VS Code API and the language client", () => {
    const tsc = join(REPO_ROOT, "node_modules/typescript/bin/tsc");
    const result = spawnSync(process.execPath, [tsc, "-p", join(EXT, "jsconfig.json")], { encoding: "utf8" });
    expect(`${result.stdout}${result.stderr}`).toBe("");
    expect(result.status).toBe(0);
  });
});
