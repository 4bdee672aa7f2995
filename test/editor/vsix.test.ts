// The packaged VS Code extension (editors/vscode/recspec-<version>.vsix, built by `npm run build:vsix`)
// is complete and current: its manifest is the working tree's, every file the manifest names is in
// it, its `main` is the bundle bundle.js builds now (vscode-languageclient inside, only `vscode` and
// Node's own modules outside), it activates, and it ships nothing else. Skipped, saying why, when the
// .vsix has not been built.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, posix } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { REPO_ROOT } from "../../grammar/build.js";
import { fakeVscode, requireWithVscode } from "./fake-vscode.js";
import { readZip, type ZipEntry } from "./read-zip.js";

const EXT = join(REPO_ROOT, "editors/vscode");
const manifest = JSON.parse(readFileSync(join(EXT, "package.json"), "utf8"));
const VSIX = join(EXT, `recspec-${manifest.version}.vsix`);
const built = existsSync(VSIX);
if (!built) console.log(`skipping the .vsix checks: ${VSIX} is not built (run \`npm run build:vsix\`)`);

/** Files of the extension folder that ship byte for byte. */
const OWN_FILES = ["language-configuration.json", "syntaxes/recspec.tmLanguage.json", "LICENSE"];

/** Everything the .vsix may hold besides the extension's own files: vsce's manifest files. */
const VSCE_FILES = ["[Content_Types].xml", "extension.vsixmanifest", "extension/readme.md", "extension/LICENSE.txt"];

describe.skipIf(!built)("the .vsix", () => {
  let entries: ZipEntry[];
  let names: Set<string>;
  let unpacked: string;
  const text = (name: string) => {
    const entry = entries.find((e) => e.name === name);
    expect(entry, `${name} in the .vsix`).toBeDefined();
    return entry!.read().toString("utf8");
  };
  const main = () => posix.join("extension", manifest.main);

  beforeAll(() => {
    entries = readZip(readFileSync(VSIX));
    names = new Set(entries.map((e) => e.name));
    // Unpacked outside the repository, so nothing can resolve from its node_modules.
    unpacked = mkdtempSync(join(tmpdir(), "recspec-vsix-"));
    for (const entry of entries) {
      const path = join(unpacked, ...entry.name.split("/"));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, entry.read());
    }
  });
  afterAll(() => {
    if (unpacked) rmSync(unpacked, { recursive: true, force: true });
  });

  it("is a VS Code package for this extension and version", () => {
    expect(names).toContain("[Content_Types].xml");
    const vsixManifest = text("extension.vsixmanifest");
    expect(vsixManifest).toContain(`Id="${manifest.name}"`);
    expect(vsixManifest).toContain(`Version="${manifest.version}"`);
    expect(vsixManifest).toContain(`Publisher="${manifest.publisher}"`);
  });

  it("carries the working tree's manifest, with a main, its activation and its settings", () => {
    const packaged = JSON.parse(text("extension/package.json"));
    expect(packaged, "stale .vsix: run `npm run build:vsix`").toEqual(manifest);
    expect(packaged.main).toBe("./dist/extension.js");
    expect(packaged.activationEvents).toContain("onLanguage:recspec");
    expect(packaged.contributes.commands.map((c: { command: string }) => c.command)).toContain("recspec.restartServer");
    expect(Object.keys(packaged.contributes.configuration.properties)).toEqual(["recspec.server.path", "recspec.server.args", "recspec.trace.server"]);
  });

  it("holds every file the manifest names, as they are in the working tree", () => {
    const named = [
      manifest.main,
      ...manifest.contributes.languages.map((l: { configuration: string }) => l.configuration),
      ...manifest.contributes.grammars.map((g: { path: string }) => g.path),
    ];
    for (const file of named) expect(names, file).toContain(posix.join("extension", file));
    for (const file of OWN_FILES) {
      const packaged = file === "LICENSE" ? "extension/LICENSE.txt" : `extension/${file}`;
      expect(text(packaged), `stale ${file} in the .vsix: run \`npm run build:vsix\``).toBe(readFileSync(join(EXT, file), "utf8"));
    }
  });

  it("has as main the bundle of today's sources, with the language client inside", () => {
    const require = createRequire(join(EXT, "package.json"));
    const { bundleText } = require("./bundle.js") as { bundleText: () => string };
    const bundle = text(main());
    expect(bundle === bundleText(), "stale bundle in the .vsix: run `npm run build:vsix`").toBe(true);
    // Every require left in the bundle is VS Code's API or Node's own.
    const required = new Set([...bundle.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]));
    const foreign = [...required].filter((r) => r !== "vscode" && !builtinModules.includes(r.replace(/^node:/, "")));
    expect(foreign).toEqual([]);
    expect(required).toContain("vscode");
    // The client library's own protocol code is there (its JSON-RPC message header).
    expect(bundle).toContain("Content-Length");
  });

  it("activates in VS Code's place and says when recspec cannot be found", async () => {
    const fake = fakeVscode({ "recspec.server.path": "", "recspec.server.args": undefined }, [join(unpacked, "workspace")]);
    const savedPath = process.env.PATH;
    process.env.PATH = join(unpacked, "empty-bin");
    try {
      const extension = requireWithVscode(join(unpacked, main()), fake) as { activate: (context: object) => Promise<void>; deactivate: () => Promise<void> };
      await extension.activate({ subscriptions: [] });
      expect([...fake.commands.keys()]).toEqual(["recspec.restartServer"]);
      expect(fake.log[0]).toBe("starting `recspec lsp` (from PATH)");
      expect(fake.errors).toHaveLength(1);
      expect(fake.errors[0]).toContain("`recspec` is not on PATH");
      expect(fake.errors[0]).toContain("recspec.server.path");
      // A settings change restarts, and the restart reads the new setting.
      // Tracing is the client's business: changing it restarts nothing.
      await fake.changeConfiguration(["recspec.trace.server"]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(fake.errors).toHaveLength(1);
      (fake.module as { workspace: { getConfiguration: unknown } }).workspace.getConfiguration = (section: string) => ({
        get: (key: string) => (`${section}.${key}` === "recspec.server.path" ? "/nowhere/recspec" : undefined),
      });
      await fake.changeConfiguration(["recspec.server.path"]);
      await vi.waitFor(() => expect(fake.errors).toHaveLength(2));
      expect(fake.errors[1]).toContain("no file /nowhere/recspec");
      // The command restarts too, and reports again.
      await fake.commands.get("recspec.restartServer")!();
      expect(fake.errors).toHaveLength(3);
      await extension.deactivate();
    } finally {
      process.env.PATH = savedPath;
    }
  });

  it("ships nothing but the extension's files and stays small", () => {
    const expected = new Set([...VSCE_FILES, main(), "extension/package.json", ...OWN_FILES.filter((f) => f !== "LICENSE").map((f) => `extension/${f}`)]);
    expect([...names].filter((n) => !expected.has(n))).toEqual([]);
    expect(readFileSync(VSIX).length).toBeLessThan(512 * 1024);
  });
});
