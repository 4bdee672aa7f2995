// `recspec exec DIR [--stage run|train|eval] [--resume] [--runs DIR] [--backend NAME]`: runs a
// program already written by `recspec compile --out DIR` (and perhaps edited by hand) exactly as
// `recspec run|train|eval` run a freshly compiled one: same run folder, resume, evaluation and
// report. Data paths resolve from the spec the program was compiled from (ir.json's `source`) when
// it is still there, else from DIR. The spec's experiments are not run: they recompile the spec.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { programSpecDir } from "../runtime/program/program-spec-dir.js";
import type { RunOptions } from "../runtime/program/types.js";
import { RunError } from "../runtime/errors/run-error.js";
import { reportRunError } from "./report-run-error.js";
import { resolveRuntimeHere } from "./runtime-resolver.js";
import { EXIT, parseOptions, UsageError, type CommandIO } from "./io.js";

const STAGES = ["run", "train", "eval"] as const;

export async function execCommand(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    stage: { type: "string", default: "run" },
    runs: { type: "string" },
    backend: { type: "string" },
    resume: { type: "boolean" },
    "no-native": { type: "boolean" },
  });
  if (positionals.length !== 1) throw new UsageError("give exactly one program folder (written by `recspec compile SPEC --out DIR`)");
  const stage = STAGES.find((s) => s === values.stage);
  if (!stage) throw new UsageError(`--stage takes run, train or eval, not \`${values.stage}\``);
  if (values.resume && stage === "eval") throw new UsageError("--resume applies to the run and train stages");
  const dir = resolve(io.cwd, positionals[0]);
  const entry = join(dir, "index.ts");
  if (!existsSync(entry)) {
    io.stderr(`error: ${positionals[0]} holds no generated program (no index.ts); write one with \`recspec compile SPEC --out ${positionals[0]}\`\n`);
    return EXIT.diagnostics;
  }

  if (values["no-native"]) process.env.RECSPEC_NO_NATIVE = "1";
  resolveRuntimeHere();
  const program = (await import(pathToFileURL(entry).href)) as { main?: (options: RunOptions) => Promise<unknown> };
  if (typeof program.main !== "function") {
    io.stderr(`error: ${positionals[0]}/index.ts exports no \`main\` function\n`);
    return EXIT.diagnostics;
  }
  try {
    const log = (line: string) => io.stderr(`${line}\n`);
    await program.main({ specDir: programSpecDir(dir, io.cwd), runsDir: values.runs, stage, resume: values.resume, backend: values.backend, log });
    return EXIT.ok;
  } catch (error) {
    // As `recspec run`: failures the user can act on are RunErrors; anything else is a bug.
    if (!(error instanceof RunError)) throw error;
    reportRunError(error, "text", io);
    return EXIT.diagnostics;
  }
}
