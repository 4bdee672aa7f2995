// The extension's manifest agrees with its code, without building anything: `main` is where
// bundle.js writes, every command contributed is registered by extension.js and the other way round,
// the settings the code reads are contributed with the defaults the code assumes, and the files the
// .vsix must hold are the ones .vscodeignore lets through.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, posix } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../grammar/build.js";

const EXT = join(REPO_ROOT, "editors/vscode");
const manifest = JSON.parse(readFileSync(join(EXT, "package.json"), "utf8"));
const source = readFileSync(join(EXT, "extension.js"), "utf8");
const require = createRequire(join(EXT, "package.json"));
const { DEFAULT_ARGS } = require("./server-command.js") as { DEFAULT_ARGS: string[] };

/** BUNDLE_OPTIONS without loading esbuild, which is only there after `npm ci` in editors/vscode. */
function bundleOutfile(): string {
  const match = /outfile:\s*"([^"]+)"/.exec(readFileSync(join(EXT, "bundle.js"), "utf8"));
  expect(match, "bundle.js names its outfile").not.toBeNull();
  return match![1];
}

describe("VS Code extension manifest and code", () => {
  it("starts from the bundle, when a .recspec file opens", () => {
    expect(posix.normalize(manifest.main)).toBe(bundleOutfile());
    expect(manifest.activationEvents).toEqual(["onLanguage:recspec"]);
    expect(manifest.dependencies).toHaveProperty("vscode-languageclient");
    // The client library's engine requirement (from the committed lock file) must not exceed the manifest's.
    const lock = JSON.parse(readFileSync(join(EXT, "package-lock.json"), "utf8"));
    const client = lock.packages["node_modules/vscode-languageclient"];
    expect(client.version).toBe(manifest.dependencies["vscode-languageclient"]);
    expect(client.engines.vscode).toBe(manifest.engines.vscode);
    expect(lock.packages["node_modules/@types/vscode"].version).toBe(manifest.engines.vscode.replace(/^\^/, ""));
  });

  it("contributes exactly the commands the code registers", () => {
    const registered = [...source.matchAll(/registerCommand\("([^"]+)"/g)].map((m) => m[1]);
    expect(manifest.contributes.commands.map((c: { command: string }) => c.command)).toEqual(registered);
  });

  it("contributes the settings the code reads, with the defaults it assumes", () => {
    const props = manifest.contributes.configuration.properties;
    const section = /getConfiguration\("([^"]+)"\)/.exec(source)?.[1];
    const keys = [...source.matchAll(/settings\.get\("([^"]+)"\)/g)].map((m) => `${section}.${m[1]}`);
    expect(keys).toEqual(["recspec.server.path", "recspec.server.args"]);
    for (const key of keys) expect(props, key).toHaveProperty(key);
    expect(props["recspec.server.path"].default).toBe("");
    expect(props["recspec.server.args"].default).toEqual(DEFAULT_ARGS);
    // vscode-languageclient reads `<client id>.trace.server`.
    expect(source).toMatch(/const CLIENT_ID = "recspec";/);
    expect(props["recspec.trace.server"].enum).toEqual(["off", "messages", "verbose"]);
    // An untrusted workspace must not choose the command to run.
    expect(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations).toEqual(["recspec.server.path", "recspec.server.args"]);
  });

  it("lets into the .vsix the bundle and every file the manifest names", () => {
    const ignore = readFileSync(join(EXT, ".vscodeignore"), "utf8").split("\n");
    const allowed = ignore.filter((l) => l.startsWith("!")).map((l) => l.slice(1));
    expect(ignore).toContain("**");
    const named = [
      manifest.main,
      ...manifest.contributes.languages.map((l: { configuration: string }) => l.configuration),
      ...manifest.contributes.grammars.map((g: { path: string }) => g.path),
    ].map((p: string) => posix.normalize(p));
    expect(allowed).toEqual(expect.arrayContaining([...named, "package.json", "README.md", "LICENSE"]));
  });
});
