// @ts-check
// `npm run package`: bundles the extension (bundle.js) and packages this folder as
// recspec-<version>.vsix with the pinned vsce. The bundle already holds vscode-languageclient, so
// vsce takes no node_modules. Prints the file's size and how long it took; exits with vsce's status.
"use strict";

const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { bundle } = require("./bundle.js");

const { version } = require("./package.json");
const out = `recspec-${version}.vsix`;

// vsce's own entry point, run under this Node: no shell, no npx look-up.
const vscePackage = require.resolve("@vscode/vsce/package.json");
const vsceBin = path.join(path.dirname(vscePackage), require(vscePackage).bin.vsce);

const started = Date.now();
bundle();
// No public repository to link to yet: without --allow-missing-repository vsce stops to ask.
const args = [vsceBin, "package", "--no-dependencies", "--allow-missing-repository", "--out", out];
const result = spawnSync(process.execPath, args, { cwd: __dirname, stdio: "inherit" });
if (result.status !== 0) {
  console.error(`vsce package failed (${result.error ?? `exit ${result.status}`})`);
  process.exit(result.status ?? 1);
}
const bytes = fs.statSync(path.join(__dirname, out)).size;
console.log(`${out}: ${(bytes / 1024).toFixed(0)} KiB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
