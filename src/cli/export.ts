// `recspec export SPEC --out DIR [--model NAME] [--run R] [--runs DIR] [--program DIR] [--force]`:
// compiles the spec's program (as `recommend` does), restores the latest run's trained models (or
// run R's) through the program's `restore`, and writes DIR for a browser page: the model's query
// vectors for every user of its data set and every item's vector in the TensorFlow.js weights
// format (model.json + weights.bin), the inference module recommend.js, the TensorFlow.js bundles,
// a demo index.html and a README. The model is one of the program's `recommenders`; it can be
// exported when its class splits its scores into query and item vectors (runtime/export/
// vector-scoring.ts) — any other (a generative or ranking model) is RS6041, exit 1. DIR is
// written whole or not at all; a non-empty DIR is replaced only with --force.
import { existsSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { IR } from "../ir/index.js";
import { RunError } from "../runtime/errors/run-error.js";
import { exportManifest } from "../runtime/export/export-manifest.js";
import { exportVectors } from "../runtime/export/export-vectors.js";
import { vectorScoring } from "../runtime/export/vector-scoring.js";
import { nonEmptyFolder, writeExport } from "../runtime/export/write-export.js";
import { programSpecDir } from "../runtime/program/program-spec-dir.js";
import type { Run } from "../runtime/program/run.js";
import type { Recommender } from "../runtime/recommend/recommender.js";
import { trainedRun } from "../runtime/recommend/trained-run.js";
import { VERSION } from "../version.js";
import { checkBackend } from "./check-backend.js";
import { emitProgram } from "./emit-program.js";
import { EXIT, InputError, parseOptions, requireFolderOption, requireSpecFile, UsageError, type CommandIO } from "./io.js";
import { reportRunError } from "./report-run-error.js";
import { resolveRuntimeHere } from "./runtime-resolver.js";
import { readWrittenProgram } from "./written-program.js";

interface InferProgram {
  restore(run: Run): Promise<Record<string, unknown>>;
  recommenders?(trained: Record<string, unknown>): Record<string, Recommender>;
}

const EXPORT_OPTIONS = {
  out: { type: "string" },
  model: { type: "string" },
  run: { type: "string" },
  runs: { type: "string" },
  force: { type: "boolean" },
  backend: { type: "string" },
  "no-native": { type: "boolean" },
} as const;

interface Request {
  readonly out: string;
  readonly model?: string;
  readonly run?: string;
  readonly runs?: string;
  readonly backend?: string;
}

/** Checks the options and the target folder before any work. */
function request(values: { [K in keyof typeof EXPORT_OPTIONS]?: unknown }, io: CommandIO): Request {
  const outOption = values.out as string | undefined;
  if (outOption === undefined) throw new UsageError("name the folder to write with --out DIR");
  const out = resolve(io.cwd, outOption);
  if (existsSync(out) && !statSync(out).isDirectory()) throw new UsageError(`--out \`${outOption}\` is an existing file, not a folder`);
  if (nonEmptyFolder(out) && !values.force) throw new InputError(`\`${outOption}\` is not empty; add --force to replace it with the export`);
  const backend = values.backend as string | undefined;
  checkBackend(backend);
  const runs = values.runs as string | undefined;
  requireFolderOption("runs", runs);
  if (values["no-native"]) process.env.RECSPEC_NO_NATIVE = "1";
  return { out, model: values.model as string | undefined, run: values.run as string | undefined, runs, backend };
}

export async function exportCommand(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseOptions(args, { ...EXPORT_OPTIONS, program: { type: "string" } });
  if (positionals.length !== 1) throw new UsageError("give exactly one spec file");
  const spec = positionals[0];
  requireSpecFile(spec);
  const asked = request(values, io);
  const { outDir, result } = await emitProgram(spec, { out: values.program, format: "text" }, io);
  if (!outDir || !result.ir) return EXIT.diagnostics;
  return exportWith(outDir, result.ir, dirname(resolve(spec)), spec, asked, io);
}

/** `recspec exec DIR --stage export --out EXPORT …`: the same from a program already written. */
export async function execExportCommand(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseOptions(args, { ...EXPORT_OPTIONS, stage: { type: "string" } });
  if (positionals.length !== 1) throw new UsageError("give exactly one program folder (written by `recspec compile SPEC --out DIR`)");
  const asked = request(values, io);
  const { dir, ir } = readWrittenProgram(positionals[0], io.cwd);
  return exportWith(dir, ir, programSpecDir(dir, io.cwd), positionals[0], asked, io);
}

async function exportWith(programDir: string, ir: IR, specDir: string, shown: string, asked: Request, io: CommandIO): Promise<number> {
  const models = ir.blocks.filter((b) => b.kind === "model" || b.kind === "distill");
  const names = models.map((b) => b.name);
  if (asked.model !== undefined && !names.includes(asked.model)) {
    throw new UsageError(`the spec has no model \`${asked.model}\`${names.length > 0 ? `; its models are ${names.map((m) => `\`${m}\``).join(", ")}` : ""}`);
  }
  if (names.length === 0) throw new InputError(`${shown} defines no model to export`);
  // As `recommend`: the first model the spec evaluates, else its first model.
  const name = asked.model ?? ir.evaluations.map((e) => e.model).find((m) => names.includes(m)) ?? names[0];

  resolveRuntimeHere();
  const program = (await import(pathToFileURL(join(programDir, "infer.ts")).href)) as InferProgram;
  if (typeof program.recommenders !== "function") {
    throw new InputError(
      `${join(programDir, "infer.ts")} exports no \`recommenders\` function (written by an older recspec, or edited): compile the spec again, with --force to overwrite edits`,
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
      log,
      progress: { write: (text: string) => io.stderr(text), isTTY: io.color },
    });
    trained = await program.restore(run);
    const recommender = program.recommenders(trained)[name];
    if (recommender === undefined) throw new Error(`internal: the program has no recommender for model ${name}`);
    const scoring = recommender.generative ? null : vectorScoring(recommender.model);
    if (scoring === null) {
      const block = models.find((b) => b.name === name);
      const student = (block?.attributes.student as { type?: string } | undefined)?.type;
      const family = block?.kind === "distill" ? `\`distill\` block with a \`${student}\` student` : `\`${block?.type}\` model`;
      throw new RunError("RS6041", `cannot export \`${name}\`, a ${family}: its scores are not dot products of user and item vectors`, {
        help: "export serves two_tower, matrix_factorization and sequential models (and students distilled into them); recommend with this one through `recspec recommend`",
      });
    }
    const started = performance.now();
    const vectors = await exportVectors(recommender, scoring);
    const { manifest, weights } = exportManifest(vectors, { spec: ir.spec, model: name, run: basename(run.dir), generatedBy: `recspec ${VERSION}` });
    writeExport(asked.out, manifest, weights);
    const r = manifest.recspec;
    const seconds = (performance.now() - started) / 1000;
    log(
      `exported ${name}: ${r.users} users × ${r.heads} × ${r.dim}, ${r.items} items, ${(weights.length / 1e6).toFixed(2)} MB of weights in ${seconds.toFixed(2)} s`,
    );
    io.stdout(`${asked.out}\n`);
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
