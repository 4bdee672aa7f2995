// The `recspec` command line: parses arguments and dispatches to one function per subcommand.
// Exit statuses: 0 ok, 1 diagnostics or user error, 2 usage or internal error.
import { suggest } from "./compiler/check/suggest.js";
import { EXIT, InputError, UsageError, type CommandIO } from "./cli/io.js";
import { VERSION } from "./version.js";

const HELP = `recspec ${VERSION} — declarative recommender models compiled to TensorFlow.js

Usage: recspec <command> [options] FILE...

Commands:
  check FILE...            parse and check specs (names, types, values, shapes)
  compile FILE [--out DIR] write the generated TypeScript program (default generated/<spec>/);
                           --emit ir prints the lowered IR instead (every default explicit);
                           --target pytorch writes a PyTorch package (default generated-pytorch/<spec>/)
  prepare FILE [--out DIR] write the data, batches and initial weights another target trains on
                           (.npy + manifest.json; default prepared/<spec>/)
  run FILE                 compile, train, evaluate and write runs/<spec>/<run>/report.html;
                           --experiment NAME runs that experiment of the spec, --experiments all
  train FILE               compile and train (add --resume to continue the latest run)
  eval FILE                evaluate the latest run's trained models
  recommend FILE           top-K items per user from the latest run (--run R for another):
                           --user ID (repeatable) or --users FILE, --k N (default 10),
                           --model NAME, --format jsonl|csv, --include-seen, --batch N
                           (exec DIR --stage recommend takes the same options)
  export FILE --out DIR    the latest run's model (--run R, --model NAME) for a browser page:
                           TensorFlow.js weights, recommend.js, a demo index.html; --force
                           replaces a non-empty DIR (exec DIR --stage export likewise)
  exec DIR                 run a program written by \`compile --out DIR\` (edited or not) as run does;
                           --stage train|eval, --resume, --runs, --backend, --experiment(s) and
                           --format json as for run/train/eval
  fmt FILE... [--check]    print specs in canonical layout (--write rewrites files,
                           --check exits 1 when a file is not formatted)
  runs [SPEC]              list the runs kept (id, status, stage, metrics, duration); --format json
  compare RUN RUN          two runs' metrics side by side and how their configurations differ
  report RUN [--out FILE]  (re)write a run's report.html from its folder (TypeScript or PyTorch runs)
  init [DIR]               write a small commented starter spec (DIR/starter.recspec) to edit and run
  examples [DIR]           copy the bundled example specs into DIR (default recspec-examples/)
  lsp [--stdio]            the language server for editors (LSP over stdin/stdout)

Options:
  --backend NAME           webgpu, node-gpu, node, wasm or cpu (default: the fastest that loads)
  --runs DIR               where runs are kept (default runs/)
  --force                  compile, run, train, eval: overwrite generated files edited by hand;
                           export: replace a non-empty --out folder
  --no-native              do not use the OpenBLAS matmul addon
  --experiment NAME        run this experiment (every cell × seed) instead of the main job; repeatable
  --experiments            run every experiment of the spec instead of the main job
  --set KEY=VALUE          override a param (steps=1000) or any attribute
                           (tiger.train.steps=1000); repeatable
  --memory-limit SIZE      check: the memory a block may use (16GB; default: this machine's,
                           or RECSPEC_MEMORY_LIMIT)
  --format text|json       diagnostics for people (default) or LSP-shaped JSON; run, train and
                           eval print one JSON document (results and diagnostics) on stdout
  --help, -h               this help
  --version, -v            print the version

Result tables go to stdout, progress and logs to stderr.
Exit status: 0 ok, 1 diagnostics in the input, 2 usage or internal error.`;

type Command = (args: string[], io: CommandIO) => Promise<number>;

// Each command loads its own modules on first use: `check` never pays for TensorFlow.js, ts-morph
// or prettier, which only `compile`, `run`, `train` and `eval` need.
const COMMANDS: Record<string, () => Promise<Command>> = {
  check: async () => (await import("./cli/check.js")).checkCommand,
  compile: async () => (await import("./cli/compile.js")).compileCommand,
  prepare: async () => (await import("./cli/prepare.js")).prepareCommand,
  fmt: async () => (await import("./cli/fmt.js")).fmtCommand,
  run: async () => (await import("./cli/run.js")).runCommandFor("run"),
  train: async () => (await import("./cli/run.js")).runCommandFor("train"),
  eval: async () => (await import("./cli/run.js")).runCommandFor("eval"),
  recommend: async () => (await import("./cli/recommend.js")).recommendCommand,
  export: async () => (await import("./cli/export.js")).exportCommand,
  exec: async () => (await import("./cli/exec.js")).execCommand,
  runs: async () => (await import("./cli/runs.js")).runsCommand,
  compare: async () => (await import("./cli/compare.js")).compareCommand,
  report: async () => (await import("./cli/report.js")).reportCommand,
  init: async () => (await import("./cli/init.js")).initCommand,
  examples: async () => (await import("./cli/examples.js")).examplesCommand,
  lsp: async () => (await import("./cli/lsp.js")).lspCommand,
};

export function defaultIO(): CommandIO {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    color: Boolean(process.stderr.isTTY) && !process.env.NO_COLOR,
    cwd: process.cwd(),
  };
}

export async function main(argv: string[], io: CommandIO = defaultIO()): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    io.stdout(`${HELP}\n`);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === "--version" || command === "-v") {
    io.stdout(`${VERSION}\n`);
    return EXIT.ok;
  }
  // Own keys only: `constructor` or `__proto__` are unknown commands, not Object's members.
  const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!load) {
    const near = suggest(command, Object.keys(COMMANDS));
    const hint = near === undefined ? "" : `did you mean \`recspec ${near}\`? `;
    io.stderr(`recspec: unknown command \`${command}\`; ${hint}run \`recspec --help\` for the list\n`);
    return EXIT.usage;
  }
  try {
    const run = await load();
    return await run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`recspec ${command}: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof InputError) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT.diagnostics;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr(`recspec: internal error (please report it): ${message}\n`);
    return EXIT.internal;
  }
}
