// Lets a generated program run as a script: `npx tsx DIR/index.ts [--stage train|eval] [--resume]
// [--runs DIR] [--backend NAME] [--no-native]`. Takes the program module's `import.meta` and its
// `main`; when that module is the process's entry point, parses the flags, runs `main` as
// `recspec exec DIR` would (same run folder, resume, evaluation and report) and sets the exit code.
// Imported by `recspec run|exec`, where the module is not the entry point, it does nothing.
import { realpathSync } from "node:fs";
import { dirname, extname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { programSpecDir } from "./program-spec-dir.js";
import type { RunOptions } from "./types.js";
import { renderRunError } from "../errors/render-run-error.js";
import { RunError } from "../errors/run-error.js";

type ProgramMain = (options: RunOptions) => Promise<unknown>;

const USAGE = `usage: npx tsx index.ts [--stage run|train|eval] [--resume] [--runs DIR] [--backend NAME] [--no-native]
  --stage      run (default) trains, evaluates and reports; train stops after training;
               eval evaluates the latest run's trained models
  --resume     continue the latest run from its last complete checkpoint
  --runs DIR   where runs are kept (default runs/)
  --backend    webgpu, node-gpu, node, wasm or cpu (default: the fastest that loads)
  --no-native  do not use the OpenBLAS matmul addon`;

export function runIfMain(meta: { url: string }, main: ProgramMain): void {
  if (!isEntryPoint(meta.url)) return;
  runScript(meta.url, main, process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      // A bug, not the user's situation: the whole stack, exit status 2 as the CLI gives.
      process.stderr.write(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}

/** Runs the program at `url` with command-line flags; gives the exit status (0 ok, 1 error, 2 usage). */
export async function runScript(url: string, main: ProgramMain, argv: string[], err = (text: string) => process.stderr.write(text)): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        stage: { type: "string", default: "run" },
        resume: { type: "boolean" },
        runs: { type: "string" },
        backend: { type: "string" },
        "no-native": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (error) {
    err(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    err(`${USAGE}\n`);
    return 0;
  }
  const stage = values.stage;
  if (stage !== "run" && stage !== "train" && stage !== "eval") {
    err(`--stage takes run, train or eval, not \`${stage}\`\n${USAGE}\n`);
    return 2;
  }
  if (values.resume && stage === "eval") {
    err(`--resume applies to the run and train stages\n`);
    return 2;
  }
  if (values["no-native"]) process.env.RECSPEC_NO_NATIVE = "1";
  const specDir = programSpecDir(dirname(fileURLToPath(url)));
  try {
    await main({ specDir, runsDir: values.runs, stage, resume: values.resume, backend: values.backend, log: (line) => err(`${line}\n`) });
    return 0;
  } catch (error) {
    // Failures the user can act on are RunErrors, printed as diagnostics; anything else is a bug.
    if (!(error instanceof RunError)) throw error;
    err(renderRunError(error, { cwd: process.cwd() }));
    return 1;
  }
}

/** Whether the module at `url` is the script node (or tsx) was started with. */
function isEntryPoint(url: string): boolean {
  const script = process.argv[1];
  if (!script || !url.startsWith("file:")) return false;
  const module = real(fileURLToPath(url));
  const started = real(script);
  // `tsx DIR/index` names the module without its extension.
  return started === module || started === module.slice(0, module.length - extname(module).length);
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
