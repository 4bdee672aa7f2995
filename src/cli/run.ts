// `recspec run|train|eval FILE`: compiles the spec, writes its program (generated/<spec>/ unless
// --out), and runs it in this process — no separate build step. `train` stops after training;
// `eval` restores the latest run's models and evaluates them; `--resume` continues the latest run.
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { DataError } from "../runtime/data/data-error.js";
import { startRun, type Run } from "../runtime/program/run.js";
import { emitProgram } from "./emit-program.js";
import { runExperiments, type ExperimentProgram } from "./experiments.js";
import { resolveRuntimeHere } from "./runtime-resolver.js";
import { diagnosticFormat, EXIT, parseOptions, UsageError, type CommandIO } from "./io.js";

type Stage = "run" | "train" | "eval";

interface GeneratedProgram extends ExperimentProgram {
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
    });
    const format = diagnosticFormat(values.format);
    if (positionals.length !== 1) throw new UsageError("give exactly one spec file");
    if (values.resume && stage === "eval") throw new UsageError("--resume applies to `run` and `train`");
    const spec = positionals[0];

    if (values["no-native"]) process.env.RECSPEC_NO_NATIVE = "1";
    const { outDir, result } = await emitProgram(spec, { out: values.out, set: values.set, format }, io);
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
        const ok = await runExperiments(spec, result.ir, program, run, { set: values.set, only }, io);
        if (!ok) return EXIT.diagnostics;
      }
      return EXIT.ok;
    } catch (error) {
      if (error instanceof DataError || isUserFacing(error)) {
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
  return (
    /^(nothing to |backend "|training stopped|loss became|the loss)/i.test(error.message) ||
    error.name === "NonFiniteLossError" ||
    error.name === "SpecRunError"
  );
}
