// The run a recommendation reads its trained models from. Takes the spec's name and folder, the
// runs folder, and optionally a run (a folder, or a run id under runs/<spec>/); gives a Run to
// hand the program's `restore`, on the selected backend. Without a named run it is the latest run
// (program/run.ts's latestRun decides which runs count). Reading a run changes nothing in it: no
// attempt is recorded and no lock taken. A run whose recorded configuration differs from the
// spec's in what was trained is refused (RS6030) unless forced, since the weights would not fit.
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { selectBackend } from "../backend/select-backend.js";
import { NoRunError } from "../errors/no-run-error.js";
import { RunError } from "../errors/run-error.js";
import { latestRun, type Run } from "../program/run.js";
import { diffConfigs } from "../runs/config-diff.js";
import { readRunIr, recordedIr } from "../runs/manifest.js";
import type { ProgressStream } from "../train/progress.js";

export interface TrainedRunOptions {
  /** Folder of the spec file: data paths resolve from here first. */
  readonly specDir: string;
  /** Folder holding every run of every spec (default `runs`). */
  readonly runsDir?: string;
  /** A run folder, or the id of a run of this spec (its folder name under runs/<spec>/). */
  readonly run?: string;
  readonly backend?: string;
  /** The spec's resolved IR, compared with the run's recorded one. */
  readonly ir?: object;
  /** Read the run although its configuration differs. */
  readonly force?: boolean;
  readonly log: (line: string) => void;
  readonly progress?: ProgressStream;
}

export async function trainedRun(spec: string, options: TrainedRunOptions): Promise<Run> {
  const specRuns = resolve(options.runsDir ?? "runs", spec);
  const dir = options.run === undefined ? latestRun(specRuns, "evaluate") : namedRun(specRuns, options.run);
  if (options.ir) checkConfiguration(dir, options.ir, Boolean(options.force), options.log);
  const selected = await selectBackend(options.backend);
  options.log(`backend: ${selected.name} (matmul: ${selected.matmul})`);
  options.log(`recommending from: ${dir}`);
  return {
    spec,
    specDir: options.specDir,
    dir,
    resume: false,
    stage: "eval",
    backend: selected.name,
    matmul: selected.matmul,
    log: options.log,
    progress: options.progress ?? process.stderr,
    startedAt: Date.now(),
  };
}

/** `--run R`: a folder as given, else a run id of this spec. */
function namedRun(specRuns: string, run: string): string {
  for (const dir of [resolve(run), join(specRuns, run)]) {
    if (existsSync(dir) && statSync(dir).isDirectory()) return dir;
  }
  throw new NoRunError("evaluate", `no run \`${run}\`: it is neither a folder nor a run in ${specRuns}`, { runDir: specRuns });
}

function checkConfiguration(dir: string, ir: object, force: boolean, log: (line: string) => void): void {
  const recorded = readRunIr(dir);
  if (recorded === null) return;
  const { training } = diffConfigs(recorded, recordedIr(ir) as Record<string, unknown>);
  if (training.length === 0) return;
  const list = training.map((d) => `  ${d}`).join("\n");
  if (!force) {
    throw new RunError("RS6030", `cannot recommend from ${dir}: the spec's configuration differs from the run's:\n${list}`, {
      help: "recommend with the spec the run was trained from, train a fresh run, or add --force to try anyway",
      context: { runDir: dir },
    });
  }
  log(`--force: recommending from the run although its configuration differs:\n${list}`);
}
