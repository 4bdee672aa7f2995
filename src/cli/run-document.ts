// The one JSON document `recspec run|train|eval|exec --format json` prints on stdout, so a tool can
// read a run's outcome with a single JSON.parse: what ran, where, the evaluation results (as the
// run's results.json), each experiment's summary (as its results.json), and every diagnostic
// (compile warnings or errors, or the run error) in the LSP shape `recspec check --format json` uses.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Diagnostic } from "../compiler/diagnostics/diagnostic.js";
import { sourceLookup, toLsp } from "../compiler/diagnostics/render.js";
import { runErrorToLsp } from "../runtime/errors/render-run-error.js";
import type { CommandIO } from "./io.js";

type LspDiagnostic = ReturnType<typeof toLsp> | ReturnType<typeof runErrorToLsp>;

export interface RunDocument {
  /** The spec's name (or the program folder's, for exec); null when the spec did not compile. */
  spec: string | null;
  stage: "run" | "train" | "eval";
  /** True when the command exits 0. */
  ok: boolean;
  /** The run folder (runs/<spec>/<run>/); null when nothing ran. */
  run: string | null;
  /** The main job's evaluations, as its results.json; empty for `train`, experiments or failures. */
  results: unknown[];
  /** The experiments that ran: each one's folder and summary (its results.json; null when another process still runs cells). */
  experiments: { name: string; dir: string; results: unknown }[];
  diagnostics: LspDiagnostic[];
}

export function emptyDocument(stage: RunDocument["stage"]): RunDocument {
  return { spec: null, stage, ok: false, run: null, results: [], experiments: [], diagnostics: [] };
}

export function compileDiagnostics(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): LspDiagnostic[] {
  const lookup = sourceLookup(sources);
  return diagnostics.map((d) => toLsp(d, lookup));
}

/** A JSON file's content, or null when it is not there (yet). */
export function readJson(path: string): unknown {
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as unknown) : null;
}

/** The main job's results (results.json in the run folder), [] when there are none. */
export function runResults(runDir: string): unknown[] {
  const found = readJson(join(runDir, "results.json"));
  return Array.isArray(found) ? found : [];
}

export function printDocument(document: RunDocument, io: CommandIO): void {
  io.stdout(`${JSON.stringify(document, null, 2)}\n`);
}
