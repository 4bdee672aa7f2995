// `recspec exec DIR [--stage run|train|eval] [--resume] [--runs DIR] [--backend NAME]
// [--experiment NAME | --experiments] [--format json]`: runs a program already written by
// `recspec compile --out DIR` (and perhaps edited by hand) exactly as `recspec run|train|eval` run a
// freshly compiled one: same run folder, resume, evaluation, report and output (tables on stdout,
// or one JSON document). Data paths resolve from the spec the program was compiled from (ir.json's
// `source`) when it is still there, else from DIR. `--experiment` runs the experiments of DIR/ir.json:
// each cell is compiled from its own IR, so hand edits to DIR's model.ts do not reach the cells.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { IR } from "../ir/index.js";
import { programSpecDir } from "../runtime/program/program-spec-dir.js";
import { endOpenRuns, startRun, type Run } from "../runtime/program/run.js";
import type { RunOptions } from "../runtime/program/types.js";
import { runErrorToLsp } from "../runtime/errors/render-run-error.js";
import { RunError } from "../runtime/errors/run-error.js";
import { TrainingInterrupted } from "../runtime/train/interrupt.js";
import { checkBackend } from "./check-backend.js";
import { experimentPlan } from "./experiment-plan.js";
import { runExperiments } from "./experiments.js";
import { reportInterrupt } from "./report-interrupt.js";
import { reportRunError } from "./report-run-error.js";
import { emptyDocument, printDocument, readJson, runResults } from "./run-document.js";
import { resolveRuntimeHere } from "./runtime-resolver.js";
import { diagnosticFormat, EXIT, InputError, parseOptions, requireFolderOption, UsageError, type CommandIO } from "./io.js";

const STAGES = ["run", "train", "eval"] as const;

export async function execCommand(args: string[], io: CommandIO): Promise<number> {
  // The recommend stage has options of its own (--user, --k, --format jsonl|csv …): recommend.ts.
  if (args.some((a, i) => a === "--stage=recommend" || (a === "--stage" && args[i + 1] === "recommend"))) {
    return (await import("./recommend.js")).execRecommendCommand(args, io);
  }
  if (args.some((a, i) => a === "--stage=export" || (a === "--stage" && args[i + 1] === "export"))) {
    return (await import("./export.js")).execExportCommand(args, io);
  }
  const { values, positionals } = parseOptions(args, {
    stage: { type: "string", default: "run" },
    runs: { type: "string" },
    backend: { type: "string" },
    resume: { type: "boolean" },
    "no-native": { type: "boolean" },
    experiment: { type: "string", multiple: true },
    experiments: { type: "boolean" },
    format: { type: "string" },
  });
  const format = diagnosticFormat(values.format);
  if (positionals.length !== 1) throw new UsageError("give exactly one program folder (written by `recspec compile SPEC --out DIR`)");
  const stage = STAGES.find((s) => s === values.stage);
  if (!stage) throw new UsageError(`--stage takes run, train, eval, recommend or export, not \`${values.stage}\``);
  if (values.resume && stage === "eval") throw new UsageError("--resume applies to the run and train stages");
  const wantsExperiments = values.experiments || (values.experiment ?? []).length > 0;
  if (wantsExperiments && stage !== "run") throw new UsageError("--experiment and --experiments apply to the run stage");
  checkBackend(values.backend);
  requireFolderOption("runs", values.runs);
  const dir = resolve(io.cwd, positionals[0]);
  const entry = join(dir, "index.ts");
  if (!existsSync(entry)) {
    throw new InputError(`${positionals[0]} holds no generated program (no index.ts); write one with \`recspec compile SPEC --out ${positionals[0]}\``);
  }
  const ir = wantsExperiments ? programIr(dir, positionals[0]) : undefined;
  const chosen = ir ? (values.experiments ? ir.experiments.map((e) => e.name) : (values.experiment ?? [])) : [];
  for (const name of chosen) {
    if (!ir?.experiments.some((e) => e.name === name)) throw new UsageError(`the program's spec has no experiment \`${name}\``);
  }
  if (wantsExperiments && chosen.length === 0) throw new UsageError("the program's spec has no experiments");

  if (values["no-native"]) process.env.RECSPEC_NO_NATIVE = "1";
  resolveRuntimeHere();
  const program = (await import(pathToFileURL(entry).href)) as { main?: (options: RunOptions) => Promise<Run | undefined> };
  if (typeof program.main !== "function") throw new InputError(`${positionals[0]}/index.ts exports no \`main\` function`);

  const json = format === "json";
  const document = emptyDocument(stage);
  const finish = (status: number) => {
    if (json) printDocument({ ...document, ok: status === EXIT.ok }, io);
    return status;
  };
  try {
    const log = (line: string) => io.stderr(`${line}\n`);
    const results = (text: string) => (json ? io.stderr(`${text}\n`) : io.stdout(`${text}\n`));
    const options: RunOptions = {
      specDir: programSpecDir(dir, io.cwd),
      runsDir: values.runs,
      stage,
      resume: values.resume,
      backend: values.backend,
      log,
      results,
      progress: { write: (text: string) => io.stderr(text), isTTY: io.color },
    };
    if (!ir || chosen.length === 0) {
      const run = await program.main(options);
      if (run?.dir) {
        document.spec = run.spec;
        document.run = run.dir;
        document.results = runResults(run.dir);
      }
      return finish(EXIT.ok);
    }
    for (const line of experimentPlan(ir, chosen, resolve(values.runs ?? "runs", ir.spec))) log(line);
    const run = await startRun(ir.spec, options);
    document.spec = ir.spec;
    document.run = run.dir;
    await runExperiments(ir, run, { only: chosen });
    endOpenRuns("complete");
    document.experiments = chosen.map((name) => {
      const folder = join(run.dir, "experiments", name);
      return { name, dir: folder, results: readJson(join(folder, "results.json")) };
    });
    return finish(EXIT.ok);
  } catch (error) {
    endOpenRuns("failed", error);
    // As `recspec run`: failures the user can act on are RunErrors; anything else is a bug.
    if (error instanceof TrainingInterrupted) return finish(reportInterrupt(error, "exec", args, io));
    if (!(error instanceof RunError)) throw error;
    if (json) document.diagnostics.push(runErrorToLsp(error));
    else reportRunError(error, "text", io);
    return finish(EXIT.diagnostics);
  }
}

/** The IR the program was compiled from (DIR/ir.json), which holds the spec's experiment cells. */
function programIr(dir: string, shown: string): IR {
  const path = join(dir, "ir.json");
  if (!existsSync(path)) throw new InputError(`${shown} has no ir.json, so its experiments are unknown; compile the spec again with --out ${shown}`);
  return JSON.parse(readFileSync(path, "utf8")) as IR;
}
