// `recspec run|train|eval FILE`: compiles the spec, writes its program (generated/<spec>/ unless
// --out), and runs it in this process — no separate build step. `train` stops after training;
// `eval` restores the latest run's models and evaluates them; `--resume` continues the latest run.
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { DataError } from "../runtime/data/data-error.js";
import { UnsupportedBlockError } from "../runtime/program/unsupported.js";
import { emitProgram } from "./emit-program.js";
import { resolveRuntimeHere } from "./runtime-resolver.js";
import { diagnosticFormat, EXIT, parseOptions, UsageError, type CommandIO } from "./io.js";

type Stage = "run" | "train" | "eval";

interface GeneratedProgram {
  main(options: { specDir: string; runsDir?: string; stage: Stage; resume?: boolean; backend?: string; log: (line: string) => void }): Promise<void>;
}

export function runCommandFor(stage: Stage) {
  return async (args: string[], io: CommandIO): Promise<number> => {
    const { values, positionals } = parseOptions(args, {
      out: { type: "string" },
      runs: { type: "string" },
      backend: { type: "string" },
      resume: { type: "boolean" },
      format: { type: "string" },
      set: { type: "string", multiple: true },
    });
    const format = diagnosticFormat(values.format);
    if (positionals.length !== 1) throw new UsageError("give exactly one spec file");
    if (values.resume && stage === "eval") throw new UsageError("--resume applies to `run` and `train`");
    const spec = positionals[0];

    const { outDir } = await emitProgram(spec, { out: values.out, set: values.set, format }, io);
    if (!outDir) return EXIT.diagnostics;
    resolveRuntimeHere();
    const program = (await import(pathToFileURL(resolve(outDir, "index.ts")).href)) as GeneratedProgram;
    try {
      await program.main({
        specDir: dirname(resolve(spec)),
        runsDir: values.runs,
        stage,
        resume: values.resume,
        backend: values.backend,
        log: (line) => io.stderr(`${line}\n`),
      });
      return EXIT.ok;
    } catch (error) {
      if (error instanceof DataError || error instanceof UnsupportedBlockError || isUserFacing(error)) {
        io.stderr(`error: ${error instanceof DataError ? error.toString() : (error as Error).message}\n`);
        return EXIT.diagnostics;
      }
      throw error;
    }
  };
}

/** Errors that describe the user's situation rather than a bug (missing run, unknown backend, NaN loss). */
function isUserFacing(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return /^(nothing to |backend "|training stopped|loss became|the loss)/i.test(error.message) || error.name === "NonFiniteLossError";
}
