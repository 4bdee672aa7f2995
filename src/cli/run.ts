// `recspec run|train|eval FILE`: compiles the spec, writes its program (generated/<spec>/ unless
// --out), and runs it in this process — no separate build step. `train` stops after training;
// `eval` restores the latest run's models and evaluates them; `--resume` continues the latest run.
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { RunError } from "../runtime/errors/run-error.js";
import { startRun, type Run } from "../runtime/program/run.js";
import { emitProgram } from "./emit-program.js";
import { runExperiments } from "./experiments.js";
import { reportRunError } from "./report-run-error.js";
import { resolveRuntimeHere } from "./runtime-resolver.js";
import { diagnosticFormat, EXIT, parseOptions, UsageError, type CommandIO } from "./io.js";

type Stage = "run" | "train" | "eval";

interface GeneratedProgram {
  main(options: { specDir: string; runsDir?: string; stage: Stage; resume?: boolean; backend?: string; log: (line: string) => void }): Promise<Run>;
}

export function runCommandFor(stage: Stage) {
  return async (args: string[], io: CommandIO): Promise<number> => {
    const { values, positionals } = parseOptions(args, {
      out: { type: "string" },
      runs: { type: "string" },
      backend: { type: "string" },
      resume: { type: "boolean" },
      "no-native": { type: "boolean" },
      experiment: { type: "string", multiple: true },
      "no-experiments": { type: "boolean" },
      format: { type: "string" },
      set: { type: "string", multiple: true },
      force: { type: "boolean" },
    });
    const format = diagnosticFormat(values.format);
    if (positionals.length !== 1) throw new UsageError("give exactly one spec file");
    if (values.resume && stage === "eval") throw new UsageError("--resume applies to `run` and `train`");
    const spec = positionals[0];

    if (values["no-native"]) process.env.RECSPEC_NO_NATIVE = "1";
    const { outDir, result } = await emitProgram(spec, { out: values.out, set: values.set, format, force: values.force }, io);
    if (!outDir || !result.ir) return EXIT.diagnostics;
    const only = values.experiment ?? [];
    for (const name of only) {
      if (!result.ir.experiments.some((e) => e.name === name)) throw new UsageError(`the spec has no experiment \`${name}\``);
    }
    resolveRuntimeHere();
    const program = (await import(pathToFileURL(resolve(outDir, "index.ts")).href)) as GeneratedProgram;
    try {
      const log = (line: string) => io.stderr(`${line}\n`);
      const options = { specDir: dirname(resolve(spec)), runsDir: values.runs, resume: values.resume, backend: values.backend, log };
      // `--experiment NAME` (repeatable) runs only those sweeps; otherwise the spec's own job, then its experiments.
      const run = only.length > 0
        ? await startRun(result.ir.spec, { ...options, stage })
        : await program.main({ ...options, stage });
      if (stage === "run" && !values["no-experiments"] && result.ir.experiments.length > 0) {
        await runExperiments(result.ir, run, { only });
      }
      return EXIT.ok;
    } catch (error) {
      // Failures the user can act on are RunErrors (by type, never by message); anything else is a
      // bug, which main() reports as an internal error with its stack.
      if (!(error instanceof RunError)) throw error;
      reportRunError(error.withContext({ spec }), format, io);
      return EXIT.diagnostics;
    }
  };
}
