// `recspec prepare FILE [--out DIR] [--set k=v]`: the data hand-over to another target. Compiles the
// spec, writes its TypeScript program into a cache folder, imports its model.ts and calls the
// program's own loaders (read, split, cold start) and model constructors (seeded initial weights),
// then writes what they made as .npy files and manifest.json (runtime/prepare/write-prepared.ts), by
// default into prepared/<spec>/. Models of families the hand-over does not cover yet are named and
// left out; their data sets are still written.
import { createHash } from "node:crypto";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { generate } from "../compiler/codegen/index.js";
import { refName } from "../compiler/codegen/blocks/block-code.js";
import { plan } from "../compiler/codegen/plan.js";
import { compileSpec } from "../compiler/compile.js";
import type { IR } from "../ir/index.js";
import { isBlock } from "../ir/narrow.js";
import type { ItemFeatures } from "../runtime/features/index.js";
import { selectBackend } from "../runtime/backend/select-backend.js";
import type { RecModel } from "../runtime/models/rec-model.js";
import type { Quantizer } from "../runtime/quantizers/quantizer.js";
import type { PreparedData } from "../runtime/pipeline/prepare-data.js";
import type { Run } from "../runtime/program/run.js";
import { writePrepared, type PreparedManifest } from "../runtime/prepare/write-prepared.js";
import { writeProgram } from "./emit-program.js";
import { diskHost } from "./host.js";
import { PreparedQuantizers } from "./prepare-quantizers.js";
import { preparedRanker } from "./prepare-ranking.js";
import { diagnosticFormat, EXIT, parseOptions, requireFolderOption, requireSpecFile, UsageError, type CommandIO } from "./io.js";
import { reportDiagnostics } from "./report-diagnostics.js";
import { resolveRuntimeHere } from "./runtime-resolver.js";

/** Model types whose training examples, batches and weights the hand-over covers. */
export const PREPARED_MODEL_TYPES: readonly string[] = ["sequential", "generative", "two_tower", "matrix_factorization", "ranking"];

export async function prepareCommand(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    out: { type: "string" },
    format: { type: "string" },
    set: { type: "string", multiple: true },
  });
  const format = diagnosticFormat(values.format);
  if (positionals.length !== 1) throw new UsageError("give exactly one spec file");
  requireSpecFile(positionals[0]);
  requireFolderOption("out", values.out);
  const result = compileSpec(positionals[0], diskHost, { set: values.set });
  reportDiagnostics(result.diagnostics, result.sources, format, io);
  if (!result.ir) return EXIT.diagnostics;
  const out = values.out ?? join("prepared", result.ir.spec);
  const manifest = await prepareSpec(result.ir, dirname(resolve(positionals[0])), out, (line) => io.stderr(`${line}\n`));
  const models = Object.keys(manifest.models);
  io.stderr(`wrote ${out}/manifest.json: ${Object.keys(manifest.datasets).join(", ")}${models.length > 0 ? `; models ${models.join(", ")}` : ""}\n`);
  return EXIT.ok;
}

/** Loads the spec's data sets and builds its covered models through the generated program, then writes them. */
export async function prepareSpec(ir: IR, specDir: string, out: string, log: (line: string) => void): Promise<PreparedManifest> {
  const files = await generate(ir);
  const hash = createHash("sha256");
  for (const f of files) hash.update(f.name).update(f.text);
  const programDir = join(".cache", "recspec", "prepare", `${ir.spec}-${hash.digest("hex").slice(0, 8)}`);
  writeProgram(programDir, files);
  resolveRuntimeHere();
  const program = (await import(pathToFileURL(resolve(programDir, "model.ts")).href)) as Record<string, unknown>;
  // Initial weights are drawn on the host from the seed, so the backend cannot change them.
  const backend = await selectBackend("cpu");
  const run: Run = {
    spec: ir.spec,
    specDir,
    dir: resolve(out),
    resume: false,
    stage: "train",
    backend: backend.name,
    matmul: backend.matmul,
    log,
    progress: { write: () => undefined, isTTY: false },
    startedAt: Date.now(),
  };

  const datasets = new Map<string, PreparedData>();
  const models = new Map<string, RecModel>();
  const rankingFeatures = new Map<string, ItemFeatures>();
  const blocks = plan(ir).blocks;
  // Fitted only when a handed-over model decodes their Semantic IDs.
  const quantizers = new PreparedQuantizers(program, blocks, run, datasets);
  for (const code of blocks) {
    const block = code.block;
    const exported = program[code.exports[0]];
    if (block.kind === "dataset") {
      datasets.set(block.name, await (exported as (run: Run) => Promise<PreparedData>)(run));
    } else if (block.kind === "model" && PREPARED_MODEL_TYPES.includes(block.type)) {
      const data = datasets.get(block.dataset);
      if (data === undefined) throw new Error(`internal: ${block.name} comes before its data set ${block.dataset}`);
      if (block.type === "generative") {
        const ids = await quantizers.quantizer(refName(block.attributes.ids));
        models.set(block.name, new (exported as new (data: PreparedData, ids: Quantizer) => RecModel)(data, ids));
      } else if (block.type === "ranking") {
        const made = await preparedRanker(exported, block, data, quantizers);
        models.set(block.name, made.model);
        if (made.features !== undefined) rankingFeatures.set(block.name, made.features);
      } else models.set(block.name, new (exported as new (data: PreparedData) => RecModel)(data));
    } else if (isBlock(block, "distill", "distill") && block.attributes.student.type === "sequential") {
      // The student network as the distill block builds it (its first export); its teacher trains in the other target.
      models.set(block.name, new (exported as new (data: PreparedData) => RecModel)(datasets.get(block.dataset)!));
    } else if (block.kind === "model" || block.kind === "distill") {
      log(`prepare: ${block.kind} ${block.name} (${block.type}) is not handed over yet (covered: ${PREPARED_MODEL_TYPES.join(", ")}); its data set is`);
    }
  }
  try {
    return writePrepared(out, { ir, datasets, models, rankingFeatures });
  } finally {
    for (const m of models.values()) m.dispose();
    await quantizers.dispose();
  }
}
