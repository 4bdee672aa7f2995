// Runs the scope-assertion files in grammar/tests through vscode-tmgrammar-test, against the grammar
// the VS Code extension ships (found through its package.json, as VS Code finds it).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../grammar/build.js";

const CLI = join(REPO_ROOT, "node_modules/.bin/vscode-tmgrammar-test");
const MANIFEST = "editors/vscode/package.json";
const TESTS_DIR = join(REPO_ROOT, "grammar/tests");

function runCli(pattern: string) {
  // The CLI expands the glob itself; no shell, so the pattern reaches it unexpanded.
  const result = spawnSync(CLI, ["--compact", "--config", MANIFEST, pattern], {
    cwd: REPO_ROOT,
    encoding: "utf8",
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}${result.error ?? ""}` };
}

/** Scope families the assertion files must exercise, one per token class the grammar knows. */
const REQUIRED_SCOPES = [
  "comment.line.double-slash.recspec",
  "comment.block.recspec",
  "string.quoted.double.recspec",
  "constant.character.escape.recspec",
  "constant.numeric.recspec",
  "constant.language.boolean.recspec",
  "keyword.control.",
  "storage.type.",
  "entity.name.type.recspec",
  "entity.name.section.recspec",
  "support.function.constructor.recspec",
  "support.function.recspec",
  "variable.parameter.recspec",
  "variable.other.property.recspec",
  "constant.other.metric.recspec",
  "support.constant.metric.recspec",
  "invalid.illegal.metric.recspec",
  "keyword.operator.assignment.recspec",
  "punctuation.separator.key-value.recspec",
  "punctuation.separator.comma.recspec",
  "punctuation.accessor.recspec",
  "punctuation.section.block.begin.recspec",
  "punctuation.section.parens.begin.recspec",
  "punctuation.section.brackets.begin.recspec",
  "invalid.illegal.",
];

describe("grammar scope assertions (vscode-tmgrammar-test)", () => {
  it("passes every file in grammar/tests", () => {
    const { status, output } = runCli("grammar/tests/*.recspec");
    expect(output).not.toContain("no test cases found");
    expect(status, output).toBe(0);
  });

  it("covers every token class", () => {
    const files = readdirSync(TESTS_DIR).filter((f) => f.endsWith(".recspec"));
    const text = files.map((f) => readFileSync(join(TESTS_DIR, f), "utf8")).join("\n");
    const assertions = text
      .split("\n")
      .filter((line) => /^\/\/\s*(\^|<)/.test(line))
      .join("\n");
    const missing = REQUIRED_SCOPES.filter((scope) => !assertions.includes(scope));
    expect(missing).toEqual([]);
  });

  it("fails on a wrong assertion, so a pass means something", () => {
    const dir = mkdtempSync(join(tmpdir(), "recspec-tmgrammar-"));
    try {
      const file = join(dir, "wrong.recspec");
      writeFileSync(file, '// SYNTAX TEST "source.recspec"\nmodel m = sequential(d)\n// <----- keyword.control.model.recspec\n');
      const { status, output } = runCli(file);
      expect(status).not.toBe(0);
      expect(output).toContain("storage.type.model.recspec");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
