// @ts-check
// Bundles the extension and vscode-languageclient into one CommonJS file, dist/extension.js (the
// manifest's `main`), so the .vsix holds a single script instead of the client's node_modules tree.
// `vscode` stays external: VS Code provides it. The package script and the .vsix test share this.
"use strict";

const path = require("node:path");
const esbuild = require("esbuild");

/** @type {import("esbuild").BuildOptions} */
const BUNDLE_OPTIONS = {
  absWorkingDir: __dirname,
  entryPoints: ["extension.js"],
  outfile: "dist/extension.js",
  bundle: true,
  platform: "node",
  format: "cjs",
  // VS Code 1.91 runs extensions on Node 20.
  target: "node20",
  external: ["vscode"],
  minify: true,
  legalComments: "none",
  logLevel: "warning",
};

/** Writes dist/extension.js. */
function bundle() {
  esbuild.buildSync(BUNDLE_OPTIONS);
  return path.join(__dirname, "dist", "extension.js");
}

/** The bundle's text as it would be written now, without writing it. */
function bundleText() {
  const result = esbuild.buildSync({ ...BUNDLE_OPTIONS, write: false });
  return result.outputFiles[0].text;
}

module.exports = { BUNDLE_OPTIONS, bundle, bundleText };
