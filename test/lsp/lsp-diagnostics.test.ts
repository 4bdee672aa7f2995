// The language server's diagnostics, driven over stdio by a real LSP client: for every example spec
// and a set of broken ones (the checker's fixtures), opening the document publishes exactly what
// `recspec check --format json` prints (codes, ranges, messages with help, related locations); an
// edit is checked again after the debounce, once for a burst of edits; errors in a closed import are
// published under the import's URI; closing a document clears its diagnostics.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DidChangeWatchedFilesNotification, FileChangeType, type Diagnostic } from "vscode-languageserver-protocol";
import { main } from "../../src/cli.js";
import { LspClient, positionOf, ROOT, uriOf } from "./lsp-client.js";

const SPECS = readdirSync(join(ROOT, "specs"))
  .filter((f) => f.endsWith(".recspec"))
  .sort()
  .map((f) => join("specs", f));
/** Broken specs of every phase: syntax, names, imports, types, values, shapes. */
const BROKEN = [
  "RS1011-too-many-errors",
  "RS2001-unknown-name",
  "RS2002-duplicate-name",
  "RS2003-wrong-kind",
  "RS2004-import-not-found",
  "RS2005-import-cycle",
  "RS2007-unknown-constructor",
  "RS2008-unknown-attribute",
  "RS3001-tower-dims",
  "RS3002-heads-divide",
].map((d) => join("test", "fixtures", "check", d, "input.recspec"));

/**
 * What `recspec check --format json FILE` prints, run in this process with FILE's absolute path (as
 * the server has it: messages that quote a resolved import path then agree), by file URI.
 */
async function cliDiagnostics(path: string): Promise<Map<string, Diagnostic[]>> {
  let out = "";
  await main(["check", path, "--format", "json"], { stdout: (t) => void (out += t), stderr: () => {}, color: false, cwd: ROOT });
  const byUri = new Map<string, Diagnostic[]>();
  for (const { uri, ...d } of JSON.parse(out) as (Diagnostic & { uri: string })[]) {
    const list = byUri.get(uriOf(uri)) ?? [];
    list.push({ ...d, relatedInformation: d.relatedInformation?.map((r) => ({ ...r, location: { ...r.location, uri: uriOf(r.location.uri) } })) });
    byUri.set(uriOf(uri), list);
  }
  return byUri;
}

const comparable = (list: Diagnostic[]) => list.map(({ data: _, ...d }) => d);

let client: LspClient;
beforeAll(async () => {
  client = await LspClient.start({ debounceMs: 50 });
});
afterAll(async () => {
  expect(await client.stop()).toBe(0);
});

describe("diagnostics as `recspec check --format json` gives them", () => {
  for (const file of [...SPECS, ...BROKEN]) {
    it(file, async () => {
      const path = join(ROOT, file);
      const expected = await cliDiagnostics(path);
      if (BROKEN.includes(file)) expect([...expected.values()].flat().some((d) => d.severity === 1)).toBe(true);
      // Each file's list under its URI: the document's own, and (published first) its imports'.
      const published = await client.open(uriOf(path), readFileSync(path, "utf8"));
      expect(comparable(published)).toEqual(expected.get(uriOf(path)) ?? []);
      for (const [uri, list] of expected) expect(comparable(client.latest.get(uri) ?? [])).toEqual(list);
      await client.close(uriOf(path));
    });
  }
});

describe("as you type", () => {
  const dir = mkdtempSync(join(tmpdir(), "recspec-lsp-diag-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const SPEC = "spec typing\n\ndataset beauty = synthetic(users: 100)\n\nmodel sasrec = sequential(beauty) {\n  embedding = 16\n}\n";

  it("checks an edit after the debounce, and a burst of edits once, as its last text", async () => {
    const uri = uriOf(join(dir, "typing.recspec"));
    expect(await client.open(uri, SPEC)).toEqual([]);
    const broken = await client.change(uri, SPEC.replace("embedding = 16", "embeding = 16"));
    expect(broken.map((d) => d.code)).toEqual(["RS2008"]);
    expect(broken[0].message).toContain("did you mean `embedding`?");
    expect(broken[0].data).toEqual({ help: "did you mean `embedding`?" });

    // Three edits inside the debounce: only the last text is checked.
    const next = client.nextDiagnostics(uri);
    await client.edit(uri, SPEC.replace("embedding = 16", "embedding = 0"));
    await client.edit(uri, SPEC.replace("sequential(beauty)", "sequential(beuty)"));
    await client.edit(uri, SPEC.replace("embedding = 16", "embedding = 32"));
    expect(await next).toEqual([]);
    await new Promise((r) => setTimeout(r, 300));
    expect(client.latest.get(uri)).toEqual([]);
    await client.close(uri);
  });

  it("follows imports: an error in a closed import is published under its own URI, and clears when fixed", async () => {
    const base = join(dir, "base.recspec");
    const entry = join(dir, "entry.recspec");
    const baseText = "dataset beauty = synthetic(users: 100, clusters: 0)\n";
    writeFileSync(base, baseText);
    const text = 'spec entry\nimport "base.recspec"\n\nmodel m = sequential(beauty)\n';
    const baseDiagnostics = client.nextDiagnostics(uriOf(base));
    const own = await client.open(uriOf(entry), text);
    expect(own).toEqual([]);
    const inBase = await baseDiagnostics;
    expect(inBase.map((d) => d.code)).toEqual(["RS4002"]);
    expect(inBase[0].range.start).toEqual(positionOf(baseText, "clusters: 0", "clusters: ".length));

    // Opening the import with the mistake fixed re-checks the entry that reads it. Checked on its
    // own, as `recspec check base.recspec` would, the import's data set is unused: a warning.
    const entryAgain = client.nextDiagnostics(uriOf(entry));
    const fixed = await client.open(uriOf(base), "dataset beauty = synthetic(users: 100)\n");
    expect(fixed.map((d) => [d.code, d.severity])).toEqual([["RS4101", 2]]);
    expect(await entryAgain).toEqual([]);

    // An edit of the open import that breaks a name the entry uses is reported in the entry.
    const entryBroken = client.nextDiagnostics(uriOf(entry));
    await client.edit(uriOf(base), "dataset beauty2 = synthetic(users: 100)\n");
    expect((await entryBroken).map((d) => d.code)).toEqual(["RS2001"]);
    // Closed again, the import is read from disk (still with its mistake, reported under its URI)...
    const afterClose = client.nextDiagnostics(uriOf(entry));
    const baseAgain = client.nextDiagnostics(uriOf(base));
    await client.close(uriOf(base));
    expect(await baseAgain).toEqual([]);
    expect(await afterClose).toEqual([]);
    expect(client.latest.get(uriOf(base))!.map((d) => d.code)).toEqual(["RS4002"]);

    // ...and a change there is seen when the client says a watched file changed.
    const fromDisk = client.nextDiagnostics(uriOf(entry));
    writeFileSync(base, "dataset other = synthetic(users: 100)\n");
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(base), type: FileChangeType.Changed }] });
    expect((await fromDisk).map((d) => d.code)).toEqual(["RS2001"]);
    await client.close(uriOf(entry));
  });

  it("checks a buffer that is no file, named after its URI", async () => {
    const uri = "untitled:Untitled-1";
    expect(await client.open(uri, "dataset beauty = synthetic(users: 100)\nmodel m = sequential(beauty)\n")).toEqual([]);
    expect((await client.change(uri, "model m = sequential(beauty)\n")).map((d) => d.code)).toEqual(["RS2001"]);
    await client.close(uri);
  });

  it("clears a document's diagnostics when it is closed", async () => {
    const uri = uriOf(join(dir, "closing.recspec"));
    expect((await client.open(uri, "model m = nothing(x)\n")).length).toBeGreaterThan(0);
    const cleared = client.nextDiagnostics(uri);
    await client.close(uri);
    expect(await cleared).toEqual([]);
  });
});
