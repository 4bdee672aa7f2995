// `recspec recommend SPEC (--user ID | --users FILE) [--k 10] [--model NAME] [--run R] [--runs DIR]
// [--format jsonl|csv] [--include-seen] [--batch N]`: compiles the spec's program (as `eval` does),
// restores the latest run's trained models (or run R's) through the program's `restore`, and
// prints each user's top-K items through the program's `recommend` — JSON Lines or CSV on stdout,
// streamed batch by batch, logs on stderr. Users and items are named by their ids in the data files.
// An unknown id given with --user is an error (RS6040, exit 1, nothing printed); in a --users file
// it gets an error line (JSON Lines) or no rows (CSV), a warning on stderr, and the rest go on.
// `recspec exec DIR --stage recommend …` does the same through a program already written.
import { accessSync, constants, createReadStream, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import type { IR } from "../ir/index.js";
import { RunError } from "../runtime/errors/run-error.js";
import { programSpecDir } from "../runtime/program/program-spec-dir.js";
import type { Run } from "../runtime/program/run.js";
import { csvHeader, csvRows, jsonLine, type RecommendationFormat } from "../runtime/recommend/format-recommendations.js";
import { isUnknownUser, type RecommendOptions, type UserIds, type UserRecommendation } from "../runtime/recommend/recommend-items.js";
import { trainedRun } from "../runtime/recommend/trained-run.js";
import { checkBackend } from "./check-backend.js";
import { emitProgram } from "./emit-program.js";
import { EXIT, InputError, parseOptions, requireFolderOption, requireSpecFile, UsageError, type CommandIO } from "./io.js";
import { reportRunError } from "./report-run-error.js";
import { resolveRuntimeHere } from "./runtime-resolver.js";
import { readWrittenProgram } from "./written-program.js";

interface InferProgram {
  restore(run: Run): Promise<Record<string, unknown>>;
  recommend?(run: Run, trained: Record<string, unknown>, users: UserIds, k: number, options: RecommendOptions): AsyncGenerator<UserRecommendation>;
}

/** Unknown users named one by one on stderr; past this many, only counted. */
const NAMED_UNKNOWN = 10;

/** The options of the recommend stage, shared by `recommend SPEC` and `exec DIR --stage recommend`. */
const RECOMMEND_OPTIONS = {
  user: { type: "string", multiple: true },
  users: { type: "string" },
  k: { type: "string", short: "k", default: "10" },
  model: { type: "string" },
  run: { type: "string" },
  runs: { type: "string" },
  format: { type: "string", default: "jsonl" },
  "include-seen": { type: "boolean" },
  batch: { type: "string", default: "256" },
  backend: { type: "string" },
  force: { type: "boolean" },
  "no-native": { type: "boolean" },
} as const;

/** What both entries check before any work: who to recommend for, how many, in what format. */
interface Request {
  readonly users: UserIds;
  /** true: ids from --user (all must be known); false: a --users file (unknown ones reported in place). */
  readonly named: boolean;
  readonly k: number;
  readonly format: RecommendationFormat;
  readonly options: RecommendOptions;
  readonly run?: string;
  readonly runs?: string;
  readonly backend?: string;
  readonly force?: boolean;
}

function request(values: { [K in keyof typeof RECOMMEND_OPTIONS]?: unknown }, io: CommandIO): Request {
  const user = values.user as string[] | undefined;
  const usersOption = values.users as string | undefined;
  const named = (user ?? []).length > 0;
  if (named === (usersOption !== undefined)) {
    throw new UsageError(`name the users with --user ID (repeatable) or --users FILE (one id per line)${named ? ", not both" : ""}`);
  }
  const k = positiveInteger("k", values.k as string);
  const batchSize = positiveInteger("batch", values.batch as string);
  const format = values.format as string;
  if (format !== "jsonl" && format !== "csv") throw new UsageError(`--format takes jsonl or csv, not \`${format}\``);
  const backend = values.backend as string | undefined;
  checkBackend(backend);
  const runs = values.runs as string | undefined;
  requireFolderOption("runs", runs);
  let users: UserIds = user ?? [];
  if (usersOption !== undefined) {
    const file = resolve(io.cwd, usersOption);
    requireReadable(file, usersOption);
    users = lines(file);
  }
  if (values["no-native"]) process.env.RECSPEC_NO_NATIVE = "1";
  const options: RecommendOptions = { model: values.model as string | undefined, includeSeen: Boolean(values["include-seen"]), batchSize };
  return { users, named, k, format, options, run: values.run as string | undefined, runs, backend, force: Boolean(values.force) };
}

export async function recommendCommand(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseOptions(args, { ...RECOMMEND_OPTIONS, out: { type: "string" } });
  if (positionals.length !== 1) throw new UsageError("give exactly one spec file");
  const spec = positionals[0];
  requireSpecFile(spec);
  requireFolderOption("out", values.out);
  const asked = request(values, io);
  const { outDir, result } = await emitProgram(spec, { out: values.out, format: "text", force: values.force }, io);
  if (!outDir || !result.ir) return EXIT.diagnostics;
  return recommendWith(outDir, result.ir, dirname(resolve(spec)), spec, asked, io);
}

/**
 * `recspec exec DIR --stage recommend …`: the same from a program already written (and perhaps
 * edited), its spec's name and configuration from DIR/ir.json, data paths as `exec` resolves them.
 */
export async function execRecommendCommand(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseOptions(args, { ...RECOMMEND_OPTIONS, stage: { type: "string" } });
  if (positionals.length !== 1) throw new UsageError("give exactly one program folder (written by `recspec compile SPEC --out DIR`)");
  const asked = request(values, io);
  const { dir, ir } = readWrittenProgram(positionals[0], io.cwd);
  return recommendWith(dir, ir, programSpecDir(dir, io.cwd), positionals[0], asked, io);
}

/** Restores the run through the program's infer.ts and prints its recommendations. */
async function recommendWith(programDir: string, ir: IR, specDir: string, shown: string, asked: Request, io: CommandIO): Promise<number> {
  const models = ir.blocks.filter((b) => b.kind === "model" || b.kind === "distill").map((b) => b.name);
  const model = asked.options.model;
  if (model !== undefined && !models.includes(model)) {
    throw new UsageError(`the spec has no model \`${model}\`${models.length > 0 ? `; its models are ${models.map((m) => `\`${m}\``).join(", ")}` : ""}`);
  }
  if (models.length === 0) throw new InputError(`${shown} defines no model to recommend with`);

  resolveRuntimeHere();
  const program = (await import(pathToFileURL(join(programDir, "infer.ts")).href)) as InferProgram;
  if (typeof program.recommend !== "function") {
    throw new InputError(
      `${join(programDir, "infer.ts")} exports no \`recommend\` function (written by an older recspec, or edited): compile the spec again, with --force to overwrite edits`,
    );
  }
  const log = (line: string) => io.stderr(`${line}\n`);
  let trained: Record<string, unknown> | undefined;
  try {
    const run = await trainedRun(ir.spec, {
      specDir,
      runsDir: asked.runs,
      run: asked.run,
      backend: asked.backend,
      ir,
      force: asked.force,
      log,
      progress: { write: (text: string) => io.stderr(text), isTTY: io.color },
    });
    trained = await program.restore(run);
    const started = performance.now();
    const entries = program.recommend(run, trained, asked.users, asked.k, asked.options);
    const out = new Output(asked.format, ir, io);
    if (asked.named) {
      // A few users named on the command line: every one must be known before anything is printed.
      const all: UserRecommendation[] = [];
      for await (const entry of entries) all.push(entry);
      const unknown = all.find(isUnknownUser);
      if (unknown) throw new RunError("RS6040", unknown.error.message, { help: "name users by their ids in the data files the spec reads" });
      for (const entry of all) out.write(entry);
    } else {
      for await (const entry of entries) {
        if (isUnknownUser(entry) && out.unknown < NAMED_UNKNOWN) log(`warning[RS6040]: ${entry.error.message}`);
        out.write(entry);
      }
    }
    out.end();
    const seconds = (performance.now() - started) / 1000;
    const more = out.unknown > NAMED_UNKNOWN ? ` (${out.unknown - NAMED_UNKNOWN} more unknown users not named above)` : "";
    const answered = out.users - out.unknown;
    log(`recommended for ${answered} user${answered === 1 ? "" : "s"}${out.unknown > 0 ? `, ${out.unknown} unknown` : ""} in ${seconds.toFixed(2)} s${more}`);
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof RunError)) throw error;
    reportRunError(error.withContext({ spec: ir.source }), "text", io);
    return EXIT.diagnostics;
  } finally {
    for (const value of Object.values(trained ?? {})) {
      const d = (value as { dispose?: unknown } | null)?.dispose;
      if (typeof d === "function") d.call(value);
    }
  }
}

/** Prints entries in the chosen format; CSV's header waits for the first known user's model. */
class Output {
  users = 0;
  unknown = 0;
  private header = false;

  constructor(
    private readonly format: RecommendationFormat,
    private readonly ir: IR,
    private readonly io: CommandIO,
  ) {}

  write(entry: UserRecommendation): void {
    this.users++;
    if (isUnknownUser(entry)) this.unknown++;
    if (this.format === "jsonl") {
      this.io.stdout(jsonLine(entry));
      return;
    }
    if (!isUnknownUser(entry)) this.writeHeader(entry.model);
    this.io.stdout(csvRows(entry));
  }

  end(): void {
    if (this.format === "csv") this.writeHeader(null);
  }

  private writeHeader(model: string | null): void {
    if (this.header) return;
    this.header = true;
    const block = this.ir.blocks.find((b) => b.name === model);
    this.io.stdout(csvHeader(block?.kind === "model" && block.type === "generative"));
  }
}

function positiveInteger(option: string, text: string | undefined): number {
  const n = Number(text);
  if (!/^\d+$/.test(text ?? "") || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${option} takes a positive whole number, not \`${text}\``);
  return n;
}

/** The users file must be readable before any work starts. */
function requireReadable(path: string, shown: string): void {
  let why: string | null = null;
  try {
    if (statSync(path).isDirectory()) why = "it is a folder";
    else accessSync(path, constants.R_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : String(error);
  }
  if (why !== null) throw new InputError(`cannot read the users file \`${shown}\`: ${why}`);
}

/** The file's user ids, one per line (trimmed; blank lines skipped), read as they are needed. */
async function* lines(path: string): AsyncGenerator<string> {
  const reader = createInterface({ input: createReadStream(path, "utf8"), crlfDelay: Infinity });
  try {
    for await (const line of reader) {
      const id = line.trim();
      if (id !== "") yield id;
    }
  } finally {
    reader.close();
  }
}
