// `recspec run|train|eval FILE`: compiles the spec, writes its program (generated/<spec>/ unless
// --out), and runs it in this process — no separate build step. `train` stops after training;
// `eval` restores the latest run's models and evaluates them; `--resume` continues the latest run.
// `run` runs the spec's main job; its experiments run only when named (`--experiment NAME`, or
// `--experiments` for all), after a plan saying how many trainings they are. Result tables go to
// stdout and progress to stderr; `--format json` prints one document (run-document.ts) instead.
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { IR } from "../ir/index.js";
import { runErrorToLsp } from "../runtime/errors/render-run-error.js";
import { RunError } from "../runtime/errors/run-error.js";
import { endOpenRuns, startRun, type Run } from "../runtime/program/run.js";
import { TrainingInterrupted } from "../runtime/train/interrupt.js";
import type { ProgressStream } from "../runtime/train/progress.js";
import { checkBackend } from "./check-backend.js";
import { emitProgram } from "./emit-program.js";
import { experimentPlan } from "./experiment-plan.js";
import { runExperiments } from "./experiments.js";
import { reportInterrupt } from "./report-interrupt.js";
import { reportRunError } from "./report-run-error.js";
import { resolveRuntimeHere } from "./runtime-resolver.js";
import { compileDiagnostics, emptyDocument, printDocument, readJson, runResults } from "./run-document.js";
import { diagnosticFormat, EXIT, parseOptions, requireFolderOption, requireSpecFile, UsageError, type CommandIO } from "./io.js";

type Stage = "run" | "train" | "eval";

interface GeneratedProgram {
  main(options: {
    specDir: string;
    runsDir?: string;
    stage: Stage;
    resume?: boolean;
    backend?: string;
    log: (line: string) => void;
    results: (text: string) => void;
    progress: ProgressStream;
  }): Promise<Run>;
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
      experiments: { type: "boolean" },
      // Accepted so older scripts keep working: experiments run only when asked for.
      "no-experiments": { type: "boolean" },
      format: { type: "string" },
      set: { type: "string", multiple: true },
      force: { type: "boolean" },
    });
    const format = diagnosticFormat(values.format);
    if (positionals.length !== 1) throw new UsageError("give exactly one spec file");
    if (values.resume && stage === "eval") throw new UsageError("--resume applies to `run` and `train`");
    const wantsExperiments = values.experiments || (values.experiment ?? []).length > 0;
    if (wantsExperiments && stage !== "run") throw new UsageError("--experiment and --experiments apply to `run`");
    checkBackend(values.backend);
    const spec = positionals[0];
    requireSpecFile(spec);
    requireFolderOption("out", values.out);
    requireFolderOption("runs", values.runs);

    const json = format === "json";
    const document = emptyDocument(stage);
    const finish = (status: number) => {
      if (json) printDocument({ ...document, ok: status === EXIT.ok }, io);
      return status;
    };
    if (values["no-native"]) process.env.RECSPEC_NO_NATIVE = "1";
    const { outDir, result } = await emitProgram(spec, { out: values.out, set: values.set, format, force: values.force, quiet: json }, io);
    document.diagnostics = compileDiagnostics(result.diagnostics, result.sources);
    if (!outDir || !result.ir) return finish(EXIT.diagnostics);
    const ir = result.ir;
    document.spec = ir.spec;
    const chosen = values.experiments ? ir.experiments.map((e) => e.name) : (values.experiment ?? []);
    for (const name of chosen) {
      if (!ir.experiments.some((e) => e.name === name)) throw new UsageError(noSuchExperiment(ir, name));
    }
    if (values.experiments && chosen.length === 0) throw new UsageError("the spec has no experiments");

    resolveRuntimeHere();
    const program = (await import(pathToFileURL(resolve(outDir, "index.ts")).href)) as GeneratedProgram;
    // Recorded in the run's manifest; a resumed run's configuration is checked against it (--force: continue anyway).
    const record = { ir, specFile: resolve(spec), overrides: values.set ?? [], force: values.force };
    try {
      const log = (line: string) => io.stderr(`${line}\n`);
      // Tables are the command's output; with --format json the document is, and tables are progress.
      const results = (text: string) => (json ? io.stderr(`${text}\n`) : io.stdout(`${text}\n`));
      const progress = { write: (text: string) => io.stderr(text), isTTY: io.color };
      const options = { specDir: dirname(resolve(spec)), runsDir: values.runs, resume: values.resume, backend: values.backend, log, results, progress, record };
      if (chosen.length === 0) {
        const run = await program.main({ ...options, stage });
        document.run = run.dir;
        document.results = runResults(run.dir);
        return finish(EXIT.ok);
      }
      for (const line of experimentPlan(ir, chosen, resolve(values.runs ?? "runs", ir.spec))) log(line);
      const run = await startRun(ir.spec, { ...options, record: { ...record, sharedByCells: true }, stage });
      document.run = run.dir;
      await runExperiments(ir, run, { only: chosen });
      endOpenRuns("complete");
      document.experiments = chosen.map((name) => {
        const dir = join(run.dir, "experiments", name);
        return { name, dir, results: readJson(join(dir, "results.json")) };
      });
      return finish(EXIT.ok);
    } catch (error) {
      endOpenRuns("failed", error);
      // Failures the user can act on are RunErrors (by type, never by message); anything else is a
      // bug, which main() reports as an internal error with its stack.
      if (error instanceof TrainingInterrupted) return finish(reportInterrupt(error, stage, args, io));
      if (!(error instanceof RunError)) throw error;
      const located = error.withContext({ spec });
      if (json) document.diagnostics.push(runErrorToLsp(located));
      else reportRunError(located, format, io);
      return finish(EXIT.diagnostics);
    }
  };
}

function noSuchExperiment(ir: IR, name: string): string {
  const names = ir.experiments.map((e) => `\`${e.name}\``);
  return `the spec has no experiment \`${name}\`${names.length > 0 ? `; its experiments are ${names.join(", ")}` : " (it has none)"}`;
}
