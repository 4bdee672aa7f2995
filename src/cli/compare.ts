// `recspec compare RUN RUN [--runs DIR] [--format text|json]`: two runs side by side — every
// evaluation number (model, metric, slice) of each and their difference, then how the two
// configurations differ (the recorded IRs, runs/config-diff.ts, and the manifests' overrides,
// backend, recspec version and spec file). RUN is a run folder, or SPEC/RUN-ID or RUN-ID under
// the runs folder.
import { resolve } from "node:path";
import { diffConfigs } from "../runtime/runs/config-diff.js";
import type { ListedRun } from "../runtime/runs/list-runs.js";
import { readRunIr } from "../runtime/runs/manifest.js";
import { summarizeRun, type RunSummary } from "../runtime/runs/run-summary.js";
import { findRun } from "./find-run.js";
import { diagnosticFormat, EXIT, parseOptions, UsageError, type CommandIO } from "./io.js";
import { textTable } from "../runtime/report/text-table.js";

export async function compareCommand(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseOptions(args, { runs: { type: "string" }, format: { type: "string" } });
  const format = diagnosticFormat(values.format);
  if (positionals.length !== 2) throw new UsageError("give two runs (run folders, or SPEC/RUN-ID under --runs)");
  const runsDir = resolve(io.cwd, values.runs ?? "runs");
  const [a, b] = positionals.map((ref) => findRun(ref, io.cwd, runsDir));
  const [sa, sb] = [summarizeRun(a.run, a.spec), summarizeRun(b.run, b.spec)];
  const metrics = sideBySide(sa, sb);
  const configuration = configurationDiff(a.run, b.run);
  if (format === "json") {
    io.stdout(`${JSON.stringify({ runs: [sa, sb], metrics, configuration }, null, 2)}\n`);
    return EXIT.ok;
  }
  const fmt = (x: number | null) => (x === null || !Number.isFinite(x) ? "–" : x.toFixed(4));
  const delta = (x: number | null) => (x === null || !Number.isFinite(x) ? "–" : `${x >= 0 ? "+" : ""}${x.toFixed(4)}`);
  io.stdout(`A: ${sa.spec}/${sa.id} (${sa.status})\nB: ${sb.spec}/${sb.id} (${sb.status})\n\n`);
  io.stdout(
    metrics.length === 0
      ? "metrics: neither run has evaluation results\n"
      : `${textTable(
          ["model", "metric", "slice", "A", "B", "B − A"],
          metrics.map((m) => [m.model, m.metric, m.slice, fmt(m.a), fmt(m.b), delta(m.a !== null && m.b !== null ? m.b - m.a : null)]),
        )}\n`,
  );
  io.stdout(configuration.length === 0 ? "\nconfiguration: the same\n" : `\nconfiguration (A → B):\n${configuration.map((d) => `  ${d}`).join("\n")}\n`);
  return EXIT.ok;
}

interface Row {
  model: string;
  metric: string;
  slice: string;
  a: number | null;
  b: number | null;
}

function sideBySide(a: RunSummary, b: RunSummary): Row[] {
  const rows = new Map<string, Row>();
  for (const [side, summary] of [
    ["a", a],
    ["b", b],
  ] as const) {
    for (const m of summary.metrics) {
      const key = `${m.model}\u0000${m.metric}\u0000${m.slice}`;
      const row = rows.get(key) ?? { model: m.model, metric: m.metric, slice: m.slice, a: null, b: null };
      row[side] = m.value;
      rows.set(key, row);
    }
  }
  return [...rows.values()];
}

/** The recorded IRs' differences, then the manifests' (what is not in the IR). */
function configurationDiff(a: ListedRun, b: ListedRun): string[] {
  const out: string[] = [];
  const irA = readRunIr(a.dir);
  const irB = readRunIr(b.dir);
  if (irA && irB) {
    const d = diffConfigs(irA, irB);
    out.push(...d.training, ...d.other);
  } else if (irA || irB) out.push(`recorded configuration: only ${irA ? "A" : "B"} has one (the other run predates run records)`);
  const ma = a.manifest;
  const mb = b.manifest;
  if (ma && mb) {
    const field = (name: string, x: unknown, y: unknown) => {
      if (JSON.stringify(x) !== JSON.stringify(y)) out.push(`${name}: ${JSON.stringify(x)} → ${JSON.stringify(y)}`);
    };
    field("--set", ma.overrides, mb.overrides);
    field("backend", `${ma.backend} (${ma.matmul})`, `${mb.backend} (${mb.matmul})`);
    field("recspec", ma.recspec, mb.recspec);
    field("spec file", ma.specFile, mb.specFile);
  }
  return out;
}
