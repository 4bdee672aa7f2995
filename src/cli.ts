// The `recspec` command line: parses arguments and dispatches to one function per subcommand.
// Exit statuses: 0 ok, 1 diagnostics or user error, 2 usage or internal error.
import { EXIT, UsageError, type CommandIO } from "./cli/io.js";
import { VERSION } from "./version.js";

const HELP = `recspec ${VERSION} — declarative recommender models compiled to TensorFlow.js

Usage: recspec <command> [options] FILE...

Commands:
  check FILE...            parse and check specs (names, types, values, shapes)
  compile FILE [--out DIR] write the generated TypeScript program (default generated/<spec>/);
                           --emit ir prints the lowered IR instead (every default explicit)
  run FILE                 compile, train, evaluate and write runs/<spec>/<run>/report.html
  train FILE               compile and train (add --resume to continue the latest run)
  eval FILE                evaluate the latest run's trained models
  exec DIR                 run a program written by \`compile --out DIR\` (edited or not) as run does;
                           --stage train|eval, --resume, --runs and --backend as for run/train/eval
  fmt FILE... [--check]    print specs in canonical layout (--write rewrites files,
                           --check exits 1 when a file is not formatted)

Options:
  --backend NAME           node-gpu, node, wasm or cpu (default: the fastest that loads)
  --runs DIR               where runs are kept (default runs/)
  --force                  compile, run, train, eval: overwrite generated files edited by hand
  --no-native              do not use the OpenBLAS matmul addon
  --experiment NAME        run only this experiment of the spec; repeat for several (--no-experiments: none)
  --set KEY=VALUE          override a param (steps=1000) or any attribute
                           (tiger.train.steps=1000); repeatable
  --format text|json       diagnostics for people (default) or LSP-shaped JSON
  --help, -h               this help
  --version, -v            print the version

Exit status: 0 ok, 1 diagnostics in the input, 2 usage or internal error.`;

type Command = (args: string[], io: CommandIO) => Promise<number>;

// Each command loads its own modules on first use: `check` never pays for TensorFlow.js, ts-morph
// or prettier, which only `compile`, `run`, `train` and `eval` need.
const COMMANDS: Record<string, () => Promise<Command>> = {
  check: async () => (await import("./cli/check.js")).checkCommand,
  compile: async () => (await import("./cli/compile.js")).compileCommand,
  fmt: async () => (await import("./cli/fmt.js")).fmtCommand,
  run: async () => (await import("./cli/run.js")).runCommandFor("run"),
  train: async () => (await import("./cli/run.js")).runCommandFor("train"),
  eval: async () => (await import("./cli/run.js")).runCommandFor("eval"),
  exec: async () => (await import("./cli/exec.js")).execCommand,
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
  const load = COMMANDS[command];
  if (!load) {
    io.stderr(`recspec: unknown command \`${command}\`; run \`recspec --help\` for the list\n`);
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
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr(`recspec: internal error (please report it): ${message}\n`);
    return EXIT.internal;
  }
}
