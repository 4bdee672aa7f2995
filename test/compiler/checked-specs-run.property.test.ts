// The checker owns every rule: a spec that checks clean must run. Random small specs of every model
// kind (test/helpers/runnable-spec-arbitraries.ts), kept when they check clean with one training
// step per block, go through `recspec run` in-process (the CLI only, so the test holds whatever
// shape the generated program takes); each must finish with status 0, or 1 for a data problem the
// runtime reports as such, and never as an internal error.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import { compileSpec } from "../../src/compiler/compile.js";
import { runnableSpec, type RunnableSpec } from "../helpers/runnable-spec-arbitraries.js";

// Vitest's module runner does not consult the CLI's loader hook for "recspec/runtime"; a program
// written inside this package resolves the specifier to the package itself (its `exports`).
const GENERATED = join(import.meta.dirname, "..", "..", ".cache", "recspec-test");
mkdirSync(GENERATED, { recursive: true });

const steps = (s: RunnableSpec) => s.trained.flatMap((b) => ["--set", `${b}.train.steps=1`]);

function checksClean(s: RunnableSpec): boolean {
  const set = s.trained.map((b) => `${b}.train.steps=1`);
  const result = compileSpec("prop_run.recspec", { readFile: () => undefined }, { entryText: s.text, set });
  return !result.diagnostics.some((d) => d.severity === "error");
}

describe("specs that check clean", () => {
  it(
    "run through `recspec run` without an internal error",
    async () => {
      await fc.assert(
        fc.asyncProperty(runnableSpec.filter(checksClean), async (s) => {
          const dir = mkdtempSync(join(tmpdir(), "recspec-prop-run-"));
          const out = mkdtempSync(join(GENERATED, "prop-"));
          try {
            const file = join(dir, "prop_run.recspec");
            writeFileSync(file, s.text);
            let stderr = "";
            const io = { stdout: () => undefined, stderr: (t: string) => void (stderr += t), color: false, cwd: dir };
            const status = await main(["run", file, "--runs", join(dir, "runs"), "--out", out, "--backend", "cpu", ...steps(s)], io);
            expect(stderr, s.text).not.toMatch(/internal error/);
            expect([0, 1], `${s.text}\n${stderr}`).toContain(status);
            if (process.env.PROP_DEBUG)
              console.log(
                status,
                status === 0
                  ? ""
                  : stderr
                      .split("\n")
                      .filter((l) => l.startsWith("error"))
                      .join(" "),
              );
          } finally {
            rmSync(dir, { recursive: true, force: true });
            rmSync(out, { recursive: true, force: true });
          }
        }),
        // Eight runs keep the test well under a minute; PROP_RUNS and PROP_SEED explore further.
        { numRuns: Number(process.env.PROP_RUNS ?? 8), seed: Number(process.env.PROP_SEED ?? 7) },
      );
    },
    Number(process.env.PROP_RUNS ?? 8) * 15_000,
  );
});
