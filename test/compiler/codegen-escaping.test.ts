// Text from outside the compiler never becomes code. First the escaping functions of
// src/compiler/codegen/escape.ts on hostile text (`*/`, backticks, `${}`, quotes, backslashes, line
// ends, U+2028/2029, NUL); then a spec at a hostile path, reading a data file at a hostile path with
// hostile column names, compiled, parsed, re-formatted and run: the payloads in those texts (which
// would write a marker file and set a global) never run, and the program trains and evaluates.
// Last, blocks named `__proto__`, `constructor` and `toString` compile and run as ordinary names.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import fc from "fast-check";
import * as prettier from "prettier";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { diskHost } from "../../src/cli/host.js";
import { generate, type EmittedFile } from "../../src/compiler/codegen/index.js";
import { commentText, numberLiteral, propertyKey, stringLiteral } from "../../src/compiler/codegen/escape.js";
import { literal } from "../../src/compiler/codegen/literal.js";
import { Names, variableName } from "../../src/compiler/codegen/names.js";
import { compileSpec } from "../../src/compiler/compile.js";

/** Evaluates a JavaScript expression or body in a fresh function (no module scope). */
const evaluate = (body: string): unknown => new Function(body)();

const HOSTILE = [
  "*/",
  "a*/b",
  "**/",
  "*\\/",
  "/* x */",
  "`${globalThis.pwned = 1}`",
  "${x}",
  '"',
  "'",
  "\\",
  '\\"',
  "line\nbreak",
  "cr\rhere",
  "sep\u2028para\u2029end",
  "nul\u0000char",
  "bell\u0007del\u007fc1\u0085",
  "bidi\u202ehidden\u2066",
  "lone \ud800 surrogate",
  "</script><!--",
  "*/ globalThis.pwned = 1; /*",
  "\n globalThis.pwned = 1; //",
];

const LINE_END = /[\n\r\u2028\u2029]/;

/** Each hostile text with an ASCII title, so test names print cleanly in a terminal. */
const CASES = HOSTILE.map((text) => [text.replace(/[^\x20-\x7e]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`), text] as const);

describe("commentText", () => {
  it.each(CASES)("keeps %s inside a block comment and a line comment", (_title, text) => {
    const safe = commentText(text);
    expect(safe).not.toContain("*/");
    expect(safe).not.toMatch(LINE_END);
    expect(safe).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(commentText(safe)).toBe(safe);
    (globalThis as { pwned?: number }).pwned = undefined;
    expect(evaluate(`return /* ${safe} */ 42;`)).toBe(42);
    expect(evaluate(`/** ${safe} */\nreturn 43;`)).toBe(43);
    expect(evaluate(`// ${safe}\nreturn 44;`)).toBe(44);
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined();
  });

  it("leaves ordinary text as it is and names what it escapes", () => {
    expect(commentText("`dataset beauty = amazon(…)`: the folder a*b/c")).toBe("`dataset beauty = amazon(…)`: the folder a*b/c");
    expect(commentText("a*/b")).toBe("a*\\/b");
    expect(commentText("x\ny\u0000z\u2028")).toBe("x\\ny\\u{0}z\\u{2028}");
  });

  it("holds for any text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const safe = commentText(text);
        return !safe.includes("*/") && !LINE_END.test(safe) && evaluate(`return /* ${safe} */ 1 // ${safe}\n;`) === 1;
      }),
      { numRuns: 300 },
    );
  });
});

describe("stringLiteral", () => {
  it.each(CASES)("gives back %s exactly, as data", (_title, text) => {
    const code = stringLiteral(text);
    expect(code).not.toMatch(LINE_END);
    expect(code.startsWith('"') && code.endsWith('"')).toBe(true);
    (globalThis as { pwned?: number }).pwned = undefined;
    expect(evaluate(`return ${code};`)).toBe(text);
    expect(evaluate(`return \`\${${code}}\`;`)).toBe(text);
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined();
  });

  it("escapes U+2028 and U+2029, which JSON leaves raw", () => {
    expect(stringLiteral("a\u2028b\u2029c")).toBe('"a\\u2028b\\u2029c"');
    expect(stringLiteral('q"\\')).toBe('"q\\"\\\\"');
  });

  it("round-trips any text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => evaluate(`return ${stringLiteral(text)};`) === text),
      { numRuns: 300 },
    );
  });
});

describe("numberLiteral", () => {
  it("prints finite numbers as they are and -0 as 0", () => {
    for (const n of [0, 1, -1, 0.25, 5e-3, 1e21, -1.5e-7, Number.MAX_SAFE_INTEGER]) expect(Number(numberLiteral(n))).toBe(n);
    expect(numberLiteral(-0)).toBe("0");
    expect(numberLiteral(200_000)).toBe("200000");
  });

  it("refuses NaN and infinities as internal errors", () => {
    for (const n of [NaN, Infinity, -Infinity]) expect(() => numberLiteral(n)).toThrow(/^internal: non-finite number/);
    expect(() => literal({ lr: NaN })).toThrow(/internal/);
  });
});

describe("propertyKey", () => {
  it("makes own properties of every key, `__proto__` included", () => {
    for (const key of ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "a-b", "x y", "*/", "`${x}`", '"', "\u2028", "0", ""]) {
      const object = evaluate(`return { ${propertyKey(key)}: 7 };`) as Record<string, number>;
      expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
      expect(Object.keys(object)).toEqual([key]);
      expect(object[key]).toBe(7);
    }
    expect(propertyKey("__proto__")).toBe('["__proto__"]');
    expect(propertyKey("plain_key")).toBe("plain_key");
  });

  it("keeps `literal()` tables keyed by user names plain data", () => {
    const table = evaluate(`return ${literal({ __proto__x: 1, ["__proto__"]: { polluted: true }, constructor: 2 } as never)};`) as Record<string, unknown>;
    expect(Object.getPrototypeOf(table)).toBe(Object.prototype);
    expect(Object.keys(table).sort()).toEqual(["__proto__", "__proto__x", "constructor"]);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});

describe("what the emitters print without escaping", () => {
  const tiny = () => {
    const result = compileSpec("test/fixtures/specs/tiny.recspec", diskHost);
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    return structuredClone(result.ir!) as unknown as { blocks: { name: string; attributes: Record<string, unknown> }[] };
  };

  it("is checked: a non-finite number or a name the lexer would refuse is an internal error, not code", async () => {
    const nan = tiny();
    nan.blocks[1].attributes.embedding = Number.NaN;
    await expect(generate(nan as never)).rejects.toThrow(/^internal: non-finite number NaN at \/blocks\/1\/attributes\/embedding/);
    const inf = tiny();
    inf.blocks[0].attributes.stay = Number.POSITIVE_INFINITY;
    await expect(generate(inf as never)).rejects.toThrow(/^internal: non-finite number Infinity/);
    const name = tiny();
    name.blocks[1].name = "seq*/x";
    await expect(generate(name as never)).rejects.toThrow(/^internal: "seq\*\/x" is not a spec name/);
  });

  it("makes identifiers only from spec names", () => {
    const names = new Names();
    expect(names.get("var", "__proto__", variableName)).toBe("proto");
    expect(names.get("var", "class", variableName)).toBe("class_");
    expect(() => names.get("var", "a-b", variableName)).toThrow(/internal: "a-b" is not a spec name/);
    expect(() => names.get("var", "x", () => "x y")).toThrow(/internal: "x y" is not a usable identifier/);
  });
});

// ---------------------------------------------------------------------------------------------
// A hostile spec path, data path and column names, end to end.

// Vitest's module runner resolves "recspec/runtime" only for programs inside this package.
const GENERATED = join(import.meta.dirname, "..", "..", ".cache", "recspec-test");
mkdirSync(GENERATED, { recursive: true });
const cleanup: string[] = [];
afterAll(() => {
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

/** Code that, if it ever ran, writes the marker file and sets a global. No `/`, so it fits a folder name. */
const PAYLOAD = 'globalThis.recspecPwned=1;(await import("node:fs")).writeFileSync(process.env.RECSPEC_PWNED_FILE,"x");';

// Path parts that each try to end the banner comment, a string or a template (a `/` in them makes
// a deeper folder, as in the reported attack `audit/y*/;await import(…)…;/*.recspec`).
const HOSTILE_FOLDERS = [`y*/;${PAYLOAD}/*`, `q"'\`\${process.exit(3)}\`\\`, `nl\n*/ ${PAYLOAD} //`, "ls\u2028ps\u2029"];

/** A spec string literal holding `text` (the grammar's escapes: \" \\ \n \r \t). */
function specString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t")}"`;
}

/** A CSV field (RFC 4180 quoting). */
const csvField = (text: string) => `"${text.replace(/"/g, '""')}"`;

/** 40 users walking a ring of 12 items, with times: enough for a leave-last-out split. */
function interactionsCsv(columns: { user: string; item: string; time: string }): string {
  const rows = [[columns.user, columns.item, columns.time].map(csvField).join(",")];
  for (let u = 0; u < 40; u++) for (let t = 0; t < 8; t++) rows.push(`u${u},i${(u + t) % 12},${t + 1}`);
  return `${rows.join("\n")}\n`;
}

interface Hostile {
  readonly root: string;
  /** The spec's folder (its path holds every hostile part) and the spec file in it. */
  readonly dir: string;
  readonly specPath: string;
  /** The data path as the spec writes it, relative to `dir`. */
  readonly dataFile: string;
  readonly marker: string;
  readonly columns: { user: string; item: string; time: string };
}

function hostileSpec(): Hostile {
  const root = mkdtempSync(join(tmpdir(), "recspec-escape-"));
  cleanup.push(root);
  const dir = join(root, ...HOSTILE_FOLDERS, "s*");
  const dataFile = `d*/\`\${process.exit(4)}\`"'\\\n${PAYLOAD}.csv`;
  const columns = { user: 'u*/"`${x}`\\', item: "i\u2028'*/", time: "t\u2029ime\u0007" };
  mkdirSync(dirname(join(dir, dataFile)), { recursive: true });
  writeFileSync(join(dir, dataFile), interactionsCsv(columns));
  const spec = [
    "spec hostile",
    `dataset events = interactions(${specString(dataFile)}) {`,
    `  user = ${specString(columns.user)}`,
    `  item = ${specString(columns.item)}`,
    `  time = ${specString(columns.time)}`,
    "  format = csv",
    "  history = 4",
    "}",
    "model seq = sequential(events) {",
    "  embedding = 8",
    "  encoder = transformer(layers: 1, heads: 1, d_ff: 8, dropout: 0.0, causal: true)",
    "  train { epochs = 1  batch = 64 }",
    "}",
    "evaluate seq on events.test { metrics = [hr@10] }",
  ].join("\n");
  const specPath = join(dir, `${PAYLOAD}\`\${1}\`.recspec`);
  writeFileSync(specPath, spec);
  return { root, dir, specPath, dataFile, marker: join(root, "PWNED"), columns };
}

/** Syntax errors TypeScript finds in a file (none: the text parses as the program it claims to be). */
function syntaxErrors(file: EmittedFile): string[] {
  const out = ts.transpileModule(file.text, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  return (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

/** Every string literal's value and every identifier of a file, from its syntax tree. */
function tokensOf(file: EmittedFile): { strings: string[]; identifiers: Set<string>; statements: ts.SyntaxKind[] } {
  const source = ts.createSourceFile(file.name, file.text, ts.ScriptTarget.ES2022, true);
  const strings: string[] = [];
  const identifiers = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) strings.push(node.text);
    if (ts.isIdentifier(node)) identifiers.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { strings, identifiers, statements: source.statements.map((s) => s.kind) };
}

const TOP_LEVEL = new Set([
  ts.SyntaxKind.ImportDeclaration,
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.VariableStatement,
  ts.SyntaxKind.InterfaceDeclaration,
]);

describe("a spec at a hostile path", () => {
  it("compiles to files whose only code is the compiler's, and runs without running any payload", async () => {
    const h = hostileSpec();
    const result = compileSpec(h.specPath, diskHost);
    expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code}: ${d.message}`)).toEqual([]);
    const files = await generate(result.ir!);

    for (const file of files.filter((f) => f.name.endsWith(".ts"))) {
      expect(syntaxErrors(file), file.name).toEqual([]);
      // Formatting again changes nothing: prettier read the file as the program it is.
      expect(await prettier.format(file.text, { parser: "typescript", printWidth: 100, trailingComma: "all" })).toBe(file.text);
      const { strings, identifiers, statements } = tokensOf(file);
      for (const name of ["process", "globalThis", "writeFileSync", "exit", "recspecPwned"]) expect(identifiers.has(name), `${file.name}: ${name}`).toBe(false);
      // Declarations and imports only, plus index.ts's closing `runIfMain(import.meta, main);`.
      const other = statements.filter((k) => !TOP_LEVEL.has(k));
      expect(other, file.name).toEqual(file.name === "index.ts" ? [ts.SyntaxKind.ExpressionStatement] : []);
      // The banner names the spec path on one line, escaped.
      const banner = file.text.slice(0, file.text.indexOf("*/") + 2);
      expect(banner).toContain(commentText(h.specPath));
      expect(banner.split("\n")[1]).toMatch(/^ \* Generated from .* by recspec\./);
      if (file.name === "model.ts") {
        // The data path and column names come back exactly as the spec wrote them.
        expect(strings).toContain(h.dataFile);
        for (const column of Object.values(h.columns)) expect(strings).toContain(column);
      }
    }

    // Run the program: it reads the hostile data file, trains one epoch and evaluates.
    const out = mkdtempSync(join(GENERATED, "escaping-"));
    cleanup.push(out);
    for (const file of files) writeFileSync(join(out, file.name), file.text);
    process.env.RECSPEC_PWNED_FILE = h.marker;
    const program = (await import(join(out, "index.ts"))) as { main: (options: object) => Promise<{ dir: string }> };
    const lines: string[] = [];
    const run = await program.main({ specDir: h.dir, runsDir: join(h.root, "runs"), backend: "cpu", log: (l: string) => lines.push(l) });
    const results = JSON.parse(readFileSync(join(run.dir, "results.json"), "utf8")) as { model: string; rows: { metric: string; value: number }[] }[];
    expect(results[0].model).toBe("seq");
    expect(results[0].rows.find((r) => r.metric === "hr@10")!.value).toBeGreaterThanOrEqual(0);
    expect(existsSync(h.marker)).toBe(false);
    expect((globalThis as { recspecPwned?: number }).recspecPwned).toBeUndefined();
  }, 120_000);
});

describe("blocks named like Object.prototype members", () => {
  it("compile and run as ordinary names: `__proto__`, `constructor`, `toString`", async () => {
    const spec = [
      "spec proto_names",
      "dataset __proto__ = synthetic(users: 60) {",
      "  clusters = 3",
      "  items_per_cluster = 5",
      "  history = 5",
      "  seed = 3",
      "}",
      "quantizer constructor = random_ids(__proto__.items) { levels = 2  codebook = 4 }",
      "model toString = ranking(__proto__) {",
      "  item = semantic_id(constructor, embed: ngram(n: 1, rows: 16))",
      "  layers = [8]",
      "  embedding = 8",
      "  train { epochs = 1  batch = 64 }",
      "}",
      "model valueOf = sequential(__proto__) {",
      "  embedding = 8",
      "  encoder = transformer(layers: 1, heads: 1, d_ff: 8, dropout: 0.0, causal: true)",
      "  train { epochs = 1  batch = 64 }",
      "}",
      "evaluate toString on __proto__.test { metrics = [auc] }",
      "evaluate valueOf on __proto__.test { metrics = [hr@10] }",
    ].join("\n");
    const result = compileSpec("proto_names.recspec", { readFile: () => undefined }, { entryText: spec });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const files = await generate(result.ir!);
    const model = files.find((f) => f.name === "model.ts")!;
    expect(syntaxErrors(model)).toEqual([]);
    // The names are data (`name: "__proto__"`), and never a bare `__proto__:` key.
    expect(model.text).toContain('"__proto__"');
    expect(model.text).not.toMatch(/^\s*__proto__\s*:/m);

    const out = mkdtempSync(join(GENERATED, "proto-"));
    const runs = mkdtempSync(join(tmpdir(), "recspec-proto-runs-"));
    cleanup.push(out, runs);
    for (const file of files) writeFileSync(join(out, file.name), file.text);
    const program = (await import(join(out, "index.ts"))) as { main: (options: object) => Promise<{ dir: string }> };
    const run = await program.main({ specDir: runs, runsDir: runs, backend: "cpu", log: () => undefined });
    const results = JSON.parse(readFileSync(join(run.dir, "results.json"), "utf8")) as { model: string; dataset: string }[];
    expect(results.map((r) => [r.model, r.dataset])).toEqual([
      ["toString", "__proto__"],
      ["valueOf", "__proto__"],
    ]);
    // The quantizer's Semantic IDs are saved under its own name.
    expect(existsSync(join(run.dir, "constructor", "semantic-ids.json"))).toBe(true);
  }, 120_000);

  it("give a quantizer called `random_id_codes` its own variable, not the runtime's randomIdCodes", async () => {
    const spec = [
      "spec q",
      "dataset synth = synthetic(users: 60) { clusters = 3  items_per_cluster = 5  history = 5 }",
      "quantizer random_id_codes = random_ids(synth.items) { levels = 2  codebook = 4 }",
      "model ranker = ranking(synth) { item = semantic_id(random_id_codes, embed: ngram(n: 1, rows: 16)) }",
    ].join("\n");
    const result = compileSpec("q.recspec", { readFile: () => undefined }, { entryText: spec });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const files = await generate(result.ir!);
    expect(files.find((f) => f.name === "model.ts")!.text).toContain("const codes = randomIdCodes(this.numItems, 2, 4, 0);");
    expect(files.find((f) => f.name === "train.ts")!.text).toContain("const randomIdCodes2 = new RandomIdCodesQuantizer(synth.numItems);");
  });

  it("keep a param called `__proto__` as an own key of the IR's params", async () => {
    const spec = [
      "spec pp",
      "param __proto__ = 16",
      "param constructor = 2",
      "dataset synth = synthetic(users: 60) { clusters = 3  items_per_cluster = 5  history = 5 }",
      "model seq = sequential(synth) { embedding = __proto__  train { epochs = constructor } }",
      "evaluate seq on synth.test",
    ].join("\n");
    const result = compileSpec("pp.recspec", { readFile: () => undefined }, { entryText: spec });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const params = result.ir!.params;
    expect(Object.getPrototypeOf(params)).toBe(Object.prototype);
    expect(Object.entries(params)).toEqual([
      ["__proto__", 16],
      ["constructor", 2],
    ]);
    const ir = (await generate(result.ir!)).find((f) => f.name === "ir.json")!;
    expect(Object.keys((JSON.parse(ir.text) as { params: object }).params)).toEqual(["__proto__", "constructor"]);
  });

  it("never declare a name their file imports (blocks called `synthetic`, `quantizer`, `prepare_data`)", async () => {
    const spec = [
      "spec q",
      "dataset synthetic = synthetic(users: 60) { clusters = 3  items_per_cluster = 5  history = 5 }",
      "quantizer quantizer = random_ids(synthetic.items) { levels = 2  codebook = 4 }",
      "model ranker = ranking(synthetic) { item = semantic_id(quantizer, embed: ngram(n: 1, rows: 16)) }",
      "model prepare_data = sequential(synthetic)",
      "evaluate prepare_data on synthetic.test",
    ].join("\n");
    const result = compileSpec("q.recspec", { readFile: () => undefined }, { entryText: spec });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    for (const file of (await generate(result.ir!)).filter((f) => f.name.endsWith(".ts"))) {
      const source = ts.createSourceFile(file.name, file.text, ts.ScriptTarget.ES2022, true);
      const imported = new Set<string>();
      const declared: string[] = [];
      const visit = (node: ts.Node): void => {
        if (ts.isImportSpecifier(node)) imported.add(node.name.text);
        const named = ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isVariableDeclaration(node) || ts.isParameter(node);
        if (named && node.name && ts.isIdentifier(node.name)) declared.push(node.name.text);
        ts.forEachChild(node, visit);
      };
      visit(source);
      expect(
        declared.filter((name) => imported.has(name)),
        file.name,
      ).toEqual([]);
      expect(syntaxErrors(file), file.name).toEqual([]);
    }
  });
});
