// `recspec runs [SPEC] [--runs DIR] [--format text|json]`: the runs kept for a spec (SPEC: a spec
// file or a spec name; without it, every spec in the runs folder), oldest first, as a table — run
// id, status (complete, failed, running, interrupted, legacy), stage of the last attempt (marked
// `(pytorch)` for a run of the PyTorch package), metrics on the `all` slice, duration — or as
// JSON. Only recognisable runs are listed (list-runs.ts).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { textTable } from "../runtime/report/text-table.js";
import { listRuns } from "../runtime/runs/list-runs.js";
import { formatSeconds, metricsLine, summarizeRun, type RunSummary } from "../runtime/runs/run-summary.js";
import { diagnosticFormat, EXIT, parseOptions, UsageError, type CommandIO } from "./io.js";

export async function runsCommand(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseOptions(args, { runs: { type: "string" }, format: { type: "string" } });
  const format = diagnosticFormat(values.format);
  if (positionals.length > 1) throw new UsageError("give at most one spec (a spec file or a spec name)");
  const runsDir = resolve(io.cwd, values.runs ?? "runs");
  const specs = positionals.length === 1 ? [specName(resolve(io.cwd, positionals[0]), positionals[0])] : allSpecs(runsDir);
  const rows: RunSummary[] = specs.flatMap((spec) => listRuns(join(runsDir, spec)).map((run) => summarizeRun(run, spec)));
  if (format === "json") {
    io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    return EXIT.ok;
  }
  if (rows.length === 0) {
    io.stderr(`no runs${positionals.length === 1 ? ` of ${specs[0]}` : ""} in ${runsDir}\n`);
    return EXIT.ok;
  }
  const withSpec = positionals.length === 0;
  const header = [...(withSpec ? ["spec"] : []), "run", "status", "stage", "metrics", "duration"];
  const body = rows.map((r) => [
    ...(withSpec ? [r.spec] : []),
    r.id,
    r.status,
    r.target === "pytorch" ? `${r.stage} (pytorch)` : r.stage,
    metricsLine(r.metrics),
    formatSeconds(r.seconds),
  ]);
  io.stdout(`${textTable(header, body)}\n`);
  return EXIT.ok;
}

/** The runs folder's name for a spec: its `spec NAME` when SPEC is a file, else SPEC itself. */
function specName(path: string, given: string): string {
  if (!existsSync(path) || !statSync(path).isFile()) return given;
  const declared = /^\s*spec\s+([A-Za-z_][A-Za-z0-9_]*)/m.exec(readFileSync(path, "utf8").replace(/\/\/[^\n]*/g, ""));
  return declared?.[1] ?? basename(path).replace(/\.recspec$/, "");
}

function allSpecs(runsDir: string): string[] {
  if (!existsSync(runsDir)) return [];
  return readdirSync(runsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}
