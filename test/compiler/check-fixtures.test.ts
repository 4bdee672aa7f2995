// Golden tests for the checker: one fixture per diagnostic code (test/fixtures/check/<CODE-…>/),
// each rendered exactly as `recspec check` prints it. A `set.json` beside the input lists `--set`s.
import { existsSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { compileSpec } from "../../src/compiler/compile.js";
import { renderDiagnostics, sourceLookup } from "../../src/compiler/diagnostics/render.js";
import { CODES } from "../../src/compiler/diagnostics/codes.js";
import { fixtureCases } from "../helpers/fixtures.js";

const ROOT = join(import.meta.dirname, "..", "..");
const cases = fixtureCases("check");

/** Reads fixture files by their repository-relative path, so goldens print stable paths. */
const host = {
  readFile(path: string) {
    const full = join(ROOT, path);
    return existsSync(full) ? readFileSync(full, "utf8") : undefined;
  },
};

describe("checker diagnostics", () => {
  for (const c of cases) {
    it(c.name, async () => {
      const setFile = join(c.dir, "set.json");
      const set = existsSync(setFile) ? (JSON.parse(readFileSync(setFile, "utf8")) as string[]) : [];
      // With an options.json, more compile options (a fixed `memoryLimit`, so goldens do not depend on
      // the machine), and `entryName`: the file name the spec is checked under (for rules on it).
      const optionsFile = join(c.dir, "options.json");
      const { entryName, ...options } = existsSync(optionsFile) ? (JSON.parse(readFileSync(optionsFile, "utf8")) as { entryName?: string }) : {};
      const entry = relative(ROOT, join(c.dir, entryName ?? "input.recspec"));
      // With a files.json (repository paths that exist), the fixture's data paths are checked too (RS5004).
      const filesFile = join(c.dir, "files.json");
      const files = existsSync(filesFile) ? (JSON.parse(readFileSync(filesFile, "utf8")) as string[]).map((f) => resolve(ROOT, f)) : undefined;
      const read = entryName ? { readFile: (path: string) => (path === entry ? c.input : host.readFile(path)) } : host;
      const result = compileSpec(entry, files ? { ...read, fileExists: (path: string) => files.includes(path) } : read, { set, ...options });
      const code = c.name.slice(0, 6);
      expect(result.diagnostics.map((d) => d.code)).toContain(code);
      const rendered = renderDiagnostics(result.diagnostics, sourceLookup(result.sources), { color: false });
      await expect(rendered).toMatchFileSnapshot(join(c.dir, "expected.txt"));
    });
  }

  it("has a fixture for every diagnostic code", () => {
    const covered = new Set(cases.map((c) => c.name.slice(0, 6)));
    for (const c of fixtureCases("syntax")) {
      const expected = readFileSync(join(c.dir, "expected.txt"), "utf8");
      for (const m of expected.matchAll(/\[(RS\d{4})\]/g)) covered.add(m[1]);
    }
    const missing = Object.keys(CODES).filter((code) => !covered.has(code));
    expect(missing).toEqual([]);
  });
});
