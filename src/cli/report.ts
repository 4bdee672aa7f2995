// `recspec report RUN [--runs DIR] [--out FILE]`: (re)writes a run's report.html from its folder —
// run.json, metrics.jsonl, results.json and ir.json (runtime/report/run-folder-report.ts) — so a
// run trained by the PyTorch package's train.py and evaluate.py gets the same page a TypeScript
// run writes at its end: protocol, metrics with intervals beside the baseline and their paired
// differences, learning curves, configuration tables. RUN is a run folder, SPEC/RUN-ID or RUN-ID
// under the runs folder (find-run.ts). Writes RUN/report.html unless --out says where.
import { resolve } from "node:path";
import { renderReport, REPORT_FILE } from "../runtime/report/index.js";
import { runFolderReport } from "../runtime/report/run-folder-report.js";
import { writeFileAtomic } from "../runtime/fs/atomic-write.js";
import { findRun } from "./find-run.js";
import { EXIT, InputError, parseOptions, UsageError, type CommandIO } from "./io.js";

export async function reportCommand(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseOptions(args, { runs: { type: "string" }, out: { type: "string" } });
  if (positionals.length !== 1) throw new UsageError("give one run (a run folder, or SPEC/RUN-ID under --runs)");
  const runsDir = resolve(io.cwd, values.runs ?? "runs");
  const { run, spec } = findRun(positionals[0], io.cwd, runsDir);
  let data;
  try {
    data = runFolderReport(run.dir, spec, run.manifest);
  } catch (error) {
    // A hand-edited or torn results.json is the user's to fix, not a crash.
    if (error instanceof SyntaxError || (error instanceof Error && error.message.includes("results.json"))) {
      throw new InputError(`${run.dir}: ${error.message}`);
    }
    throw error;
  }
  const file = values.out === undefined ? resolve(run.dir, REPORT_FILE) : resolve(io.cwd, values.out);
  writeFileAtomic(file, await renderReport(data));
  const counts = `${data.results.length} result rows, ${data.metrics.length} training log rows`;
  io.stderr(`report of ${spec}/${run.id} (${run.status}; ${data.backend}): ${counts}\n`);
  io.stdout(`${file}\n`);
  return EXIT.ok;
}
