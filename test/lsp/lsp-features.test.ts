// The language server's editing features, driven over stdio by a real LSP client as an editor
// would: completion by context, hover, go to definition, references, rename (across an import),
// the outline, formatting and quick fixes, on every example spec and on broken texts.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { constructorsOf, signatureOf } from "../../src/compiler/check/signatures/index.js";
import { format } from "../../src/compiler/format.js";
import { BLOCK_KINDS, type BlockKind } from "../../src/compiler/lexer.js";
import { applyEdits, LspClient, positionAt, positionOf, ROOT, textIn, uriOf } from "./lsp-client.js";

const SPECS = readdirSync(join(ROOT, "specs"))
  .filter((f) => f.endsWith(".recspec"))
  .sort();

let client: LspClient;
beforeAll(async () => {
  client = await LspClient.start({ debounceMs: 20 });
});
afterAll(async () => {
  expect(await client.stop()).toBe(0);
});

const labels = (items: { label: string }[]) => items.map((i) => i.label);

/** Every `KIND NAME = CONSTRUCTOR` declaration of a spec's text. */
function blocks(text: string): { kind: BlockKind; name: string; ctor: string; index: number }[] {
  const re = new RegExp(`^(${BLOCK_KINDS.join("|")}) (\\w+) = (\\w+)`, "gm");
  return [...text.matchAll(re)].map((m) => ({ kind: m[1] as BlockKind, name: m[2], ctor: m[3], index: m.index }));
}

describe.each(SPECS)("%s", (spec) => {
  const path = join(ROOT, "specs", spec);
  const uri = uriOf(path);
  const text = readFileSync(path, "utf8");
  beforeAll(async () => {
    await client.open(uri, text);
  });
  afterAll(async () => {
    await client.close(uri);
  });

  it("hovers a constructor with its meaning, and an attribute with its type, default and meaning", async () => {
    for (const b of blocks(text)) {
      const sig = signatureOf(b.kind, b.ctor)!;
      const hover = await client.hover(uri, positionOf(text, `${b.name} = ${b.ctor}`, b.name.length + 4));
      expect(hover).toContain(sig.doc);
    }
    // The first body assignment of each block: `  key = value`.
    for (const b of blocks(text)) {
      const sig = signatureOf(b.kind, b.ctor)!;
      const body = /\{\n\s+(\w+)\s+=/.exec(text.slice(b.index));
      const attribute = body && sig.attributes.find((a) => a.name === body[1]);
      if (!body || !attribute) continue;
      const hover = await client.hover(uri, positionOf(text, body[0], body[0].indexOf(body[1]), b.index));
      expect(hover).toContain(`**${attribute.name}**`);
      expect(hover).toContain(attribute.doc);
      expect(hover).toMatch(/default: /);
    }
  });

  it("goes from each evaluated model to its declaration, and hovers it with its shapes", async () => {
    for (const m of text.matchAll(/^evaluate (\w+) on/gm)) {
      const at = positionOf(text, m[0], "evaluate ".length, m.index);
      const location = await client.definition(uri, at);
      expect(location?.uri).toBe(uri);
      expect(textIn(text, location!.range)).toBe(m[1]);
      const declared = blocks(text).find((b) => b.name === m[1])!;
      expect(location!.range.start).toEqual(positionOf(text, `${declared.kind} ${m[1]} =`, declared.kind.length + 1));
      const hover = await client.hover(uri, at);
      expect(hover).toContain(`${declared.kind} ${m[1]} = ${declared.ctor}`);
      expect(hover).toContain("shapes:");
    }
  });

  it("renames a data set everywhere it is used, and the renamed spec checks as before", async () => {
    const data = blocks(text).find((b) => b.kind === "dataset")!;
    const before = client.latest.get(uri)!.map((d) => d.code);
    const at = positionOf(text, `dataset ${data.name}`, "dataset ".length);
    expect(await client.prepareRename(uri, at)).toEqual({
      range: { start: at, end: { ...at, character: at.character + data.name.length } },
      placeholder: data.name,
    });
    const edit = await client.rename(uri, at, "renamed_data");
    const edits = edit!.changes![uri];
    const references = await client.references(uri, at);
    expect(edits.length).toBe(references.length);
    expect(edits.length).toBeGreaterThan(1);
    const renamed = applyEdits(text, edits);
    // Every use is renamed: the old name is left only where it is no reference (comments, strings, keys).
    expect(renamed).toContain(`dataset renamed_data =`);
    const after = await client.change(uri, renamed);
    expect(after.map((d) => d.code)).toEqual(before);
    await client.change(uri, text);
  });

  it("lists every declaration in the outline", async () => {
    const symbols = await client.symbols(uri);
    const names = symbols.map((s) => s.name);
    for (const b of blocks(text)) expect(names).toContain(b.name);
    for (const m of text.matchAll(/^param (\w+)/gm)) expect(names).toContain(m[1]);
  });

  it("formats as `recspec fmt` does: nothing to do on a formatted spec, its layout back on a squashed one", async () => {
    expect(await client.formatting(uri)).toEqual([]);
    const squashed = text.replace(/ +=/g, " =").replace(/\n {2}/g, "\n");
    expect(squashed).not.toBe(text);
    await client.change(uri, squashed);
    const edits = await client.formatting(uri);
    expect(applyEdits(squashed, edits)).toBe(format(text, path).text);
    await client.change(uri, text);
  });

  it("offers, where a block's enum or option attribute is set, the value written there", async () => {
    let checked = 0;
    for (const b of blocks(text)) {
      const sig = signatureOf(b.kind, b.ctor)!;
      const end = text.indexOf("\n}", b.index);
      for (const m of text.slice(b.index, end).matchAll(/^ {2}(\w+)\s+= (\w+)\b/gm)) {
        const type = sig.attributes.find((a) => a.name === m[1])?.type;
        if (type?.kind !== "enum" && type?.kind !== "option") continue;
        const at = positionOf(text, m[0], m[0].length - m[2].length, b.index);
        expect(labels(await client.completion(uri, at))).toContain(m[2]);
        checked++;
      }
    }
    if (/split\s+= /.test(text)) expect(checked).toBeGreaterThan(0);
  });

  it("still hovers, goes to definitions and completes below a declaration left broken", async () => {
    const broken = `${text}\nmodel broken = sequential(~\nmodel other = sequential(`;
    const diagnostics = await client.change(uri, broken);
    expect(diagnostics.some((d) => d.code === "RS1001" || d.code === "RS1004")).toBe(true);
    const data = blocks(text).find((b) => b.kind === "dataset")!;
    const at = positionOf(broken, `dataset ${data.name}`, "dataset ".length);
    expect(await client.hover(uri, at)).toContain(`dataset ${data.name} = ${data.ctor}`);
    expect((await client.references(uri, at)).length).toBeGreaterThan(1);
    const items = await client.completion(uri, positionAt(broken, broken.length));
    expect(labels(items)).toContain(data.name);
    expect(await client.formatting(uri)).toEqual([]);
    await client.change(uri, text);
  });

  it("completes declaration keywords on a new line at the end", async () => {
    const extended = `${text}\n`;
    await client.edit(uri, extended);
    const items = await client.completion(uri, positionOf(extended, "\n", 1, extended.length - 1));
    expect(labels(items)).toEqual(expect.arrayContaining(["model", "dataset", "evaluate", "experiment", "param"]));
    await client.edit(uri, text);
  });
});

describe("completion by context", () => {
  const dir = mkdtempSync(join(tmpdir(), "recspec-lsp-complete-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const uri = uriOf(join(dir, "typing.recspec"));
  const SPEC = [
    "spec typing",
    "param dim = 32",
    'dataset beauty = amazon("data/amazon-beauty") {',
    "  split = leave_last_out",
    "}",
    "features content = content_vectors(beauty.items)",
    "quantizer sid = rqvae(content)",
    "",
  ].join("\n");

  /** Completion labels where `|` is in `tail`, appended to the spec (which need not parse). */
  async function complete(tail: string): Promise<Awaited<ReturnType<LspClient["completion"]>>> {
    const text = SPEC + tail.replace("|", "");
    await client.edit(uri, text);
    return client.completion(uri, positionOf(text, tail.replace("|", ""), tail.indexOf("|"), SPEC.length));
  }

  beforeAll(async () => {
    await client.open(uri, SPEC);
  });

  it("offers the constructors of the block kind after `KIND NAME =`", async () => {
    expect(labels(await complete("model m = |"))).toEqual([...constructorsOf("model").keys()]);
    expect(labels(await complete("model m = |"))).toEqual(expect.arrayContaining(["sequential", "two_tower", "generative"]));
    expect(labels(await complete("tower t = |"))).toContain("multi_interest");
  });

  it("offers blocks of the kind a reference takes", async () => {
    expect(labels(await complete("model m = sequential(|"))).toEqual(expect.arrayContaining(["beauty", "data", "embedding"]));
    expect(labels(await complete("model m = sequential(|")).filter((l) => l === "content" || l === "sid")).toEqual([]);
    expect(labels(await complete("model m = generative(beauty, ids: |"))).toEqual(["sid"]);
    expect(labels(await complete("model m = sequential(beauty)\nevaluate |"))).toEqual(["m"]);
    expect(labels(await complete("model m = sequential(beauty)\nevaluate m on |"))).toEqual(["beauty.test", "beauty.valid", "beauty.train"]);
    expect(labels(await complete("features f = content_vectors(|"))).toContain("beauty.items");
  });

  it("offers the attributes not yet set, with type and default", async () => {
    const items = await complete("model m = sequential(beauty, embedding: 8) {\n  loss = softmax\n  |");
    const names = labels(items);
    expect(names).toEqual(expect.arrayContaining(["encoder", "positions", "train"]));
    expect(names).not.toContain("embedding");
    expect(names).not.toContain("loss");
    expect(names).not.toContain("data");
    expect(items.find((i) => i.label === "positions")!.detail).toBe('all | last = "all"');
    expect(items.find((i) => i.label === "encoder")!.insertText).toBe("encoder = ");
    const call = await complete("model m = sequential(beauty, |");
    expect(call.find((i) => i.label === "embedding")).toMatchObject({ detail: "integer ≥ 1 = 64", insertText: "embedding: " });
    expect(labels(await complete("model m = sequential(beauty) {\n  train {\n    |"))).toEqual(expect.arrayContaining(["optimizer", "epochs", "batch"]));
    expect(labels(await complete("model m = sequential(beauty) {\n  encoder = transformer(layers: 2, |"))).toEqual(
      expect.arrayContaining(["heads", "dropout", "causal"]),
    );
  });

  it("offers enum values, options, metrics and params", async () => {
    const split = signatureOf("dataset", "synthetic")!.attributes.find((a) => a.name === "split")!.type;
    expect(labels(await complete("dataset d = synthetic() {\n  split = |"))).toEqual(split.kind === "enum" ? split.values : []);
    expect(labels(await complete("dataset d = synthetic() {\n  split = |"))).toContain("leave_last_out");
    expect(labels(await complete("model m = sequential(beauty) {\n  loss = |"))).toEqual([...constructorsOf("loss").keys()]);
    expect(labels(await complete("model m = sequential(beauty) {\n  loss = |"))).toEqual(expect.arrayContaining(["softmax", "sampled_softmax"]));
    expect(labels(await complete("model m = sequential(beauty)\nevaluate m on beauty.test {\n  metrics = [|"))).toEqual(
      expect.arrayContaining(["recall", "ndcg", "mrr"]),
    );
    expect(labels(await complete("model m = sequential(beauty)\nevaluate m on beauty.test {\n  metrics = [recall@10, |"))).toContain("ndcg");
    expect(labels(await complete("model m = sequential(beauty)\nevaluate m on beauty.test {\n  slices = [all, |"))).toContain("popularity");
    expect(labels(await complete("model m = sequential(beauty) {\n  embedding = |"))).toEqual(["dim"]);
  });

  it("offers members after a dot and completes on broken text, but not in comments or strings", async () => {
    expect(labels(await complete("experiment e {\n  evaluate_on = beauty.|"))).toEqual(["train", "valid", "test"]);
    expect(labels(await complete("model m = sequential(beauty)\nevaluate m on beauty.|"))).toEqual(["train", "valid", "test"]);
    expect(labels(await complete("features f = content_vectors(beauty.|"))).toEqual(["items"]);
    expect(labels(await complete("experiment e {\n  vary beauty.|"))).toEqual(expect.arrayContaining(["history", "cold_start"]));
    expect(labels(await complete("experiment e {\n  vary beauty.|"))).not.toContain("test");
    // The spec has an unclosed call above the cursor's declaration and a stray character: still answered.
    expect(labels(await complete("model broken = sequential(beauty, ~ \nmodel m = sequential(beauty) {\n  loss = |"))).toContain("softmax");
    expect(await complete("// model m = |")).toEqual([]);
    expect(await complete('dataset d = amazon("model m = |')).toEqual([]);
  });
});

describe("quick fixes for did-you-mean diagnostics", () => {
  const dir = mkdtempSync(join(tmpdir(), "recspec-lsp-fix-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("replaces a misspelt attribute, reference and value with the suggestion", async () => {
    const uri = uriOf(join(dir, "typo.recspec"));
    const text = 'spec typo\ndataset beauty = amazon("d", split: leave_last_oot)\nmodel m = sequential(beuty) {\n  embeding = 16\n}\n';
    const diagnostics = await client.open(uri, text);
    expect(diagnostics.map((d) => d.code).sort()).toEqual(expect.arrayContaining(["RS2001", "RS2008"]));
    let fixed = text;
    for (const d of diagnostics) {
      const actions = await client.codeActions(uri, d.range, [d]);
      if (!/did you mean/.test(d.message as string)) continue;
      expect(actions).toHaveLength(1);
      expect(actions[0].kind).toBe("quickfix");
      fixed = applyEdits(fixed, actions[0].edit!.changes![uri]);
    }
    expect(fixed).toContain("sequential(beauty)");
    expect(fixed).toContain("embedding = 16");
    const after = await client.change(uri, fixed);
    expect(after.filter((d) => /did you mean/.test(d.message as string))).toEqual([]);
    await client.close(uri);
  });
});

describe("across imports", () => {
  const dir = mkdtempSync(join(tmpdir(), "recspec-lsp-imports-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const base = join(dir, "base.recspec");
  const entry = join(dir, "entry.recspec");
  const BASE = "param width = 16\ndataset beauty = synthetic(users: 100)\n";
  const ENTRY = 'spec entry\nimport "base.recspec"\n\nmodel m = sequential(beauty, embedding: width)\nevaluate m on beauty.test {}\n';

  it("goes to a declaration in an import, finds its uses and renames it in both files", async () => {
    writeFileSync(base, BASE);
    expect(await client.open(uriOf(entry), ENTRY)).toEqual([]);
    const at = positionOf(ENTRY, "sequential(beauty", "sequential(".length);
    const location = await client.definition(uriOf(entry), at);
    expect(location).toEqual({ uri: uriOf(base), range: { start: positionOf(BASE, "beauty"), end: positionOf(BASE, "beauty", 6) } });
    const onImport = await client.definition(uriOf(entry), positionOf(ENTRY, "base.recspec"));
    expect(onImport).toEqual({ uri: uriOf(base), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
    const references = await client.references(uriOf(entry), at);
    expect(references.map((r) => r.uri).sort()).toEqual([uriOf(base), uriOf(entry), uriOf(entry)].sort());

    const edit = await client.rename(uriOf(entry), at, "books");
    expect(applyEdits(BASE, edit!.changes![uriOf(base)])).toBe("param width = 16\ndataset books = synthetic(users: 100)\n");
    expect(applyEdits(ENTRY, edit!.changes![uriOf(entry)])).toBe(ENTRY.replace(/beauty/g, "books"));

    const hover = await client.hover(uriOf(entry), positionOf(ENTRY, "width"));
    expect(hover).toContain("param width = 16");
    await expect(client.rename(uriOf(entry), at, "model")).rejects.toThrow(/not a name/);
    await expect(client.rename(uriOf(entry), at, "width")).rejects.toThrow(/already declared/);
    await client.close(uriOf(entry));
  });
});
