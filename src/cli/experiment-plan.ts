// The plan `recspec run --experiment(s)` prints before any cell starts: each experiment's
// configurations × seeds, and a time estimate from the spec's latest main-job run (its models'
// training steps/s in metrics.jsonl), when there is one. Takes the IR, the chosen experiment names
// and the folder of the spec's runs; gives the lines to print.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { IR } from "../ir/index.js";

export function experimentPlan(ir: IR, names: readonly string[], specRuns: string): string[] {
  const chosen = ir.experiments.filter((e) => names.includes(e.name));
  const lines = chosen.map((e) => {
    const configurations = new Set(e.cells.map((c) => c.index)).size;
    return `  ${e.name}: ${configurations} configuration${configurations === 1 ? "" : "s"} × ${e.seeds} seed${e.seeds === 1 ? "" : "s"} = ${e.cells.length} trainings`;
  });
  const total = chosen.reduce((n, e) => n + e.cells.length, 0);
  const timed = mainJobSeconds(specRuns);
  const estimate = timed
    ? `training alone about ${duration(total * timed.seconds)} at the main job's speed (it trained in ${duration(timed.seconds)}: ${relative(process.cwd(), timed.run) || "."}); ` +
      "loading data, evaluating and cells that change sizes or steps add to it"
    : `no time estimate: run the main job once (\`recspec run\` without --experiment) to measure its speed`;
  return [`plan: ${total} trainings, each training and evaluating every block of its cell`, ...lines, `  ${estimate}`];
}

/**
 * Training seconds of the spec's latest run that trained models: for each model, its last logged
 * step at the rate between its first and last entries (steps/s), summed over models.
 */
export function mainJobSeconds(specRuns: string): { seconds: number; run: string } | undefined {
  if (!existsSync(specRuns)) return undefined;
  const runs = readdirSync(specRuns, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .reverse();
  for (const name of runs) {
    const dir = join(specRuns, name);
    let seconds = 0;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = join(dir, entry.name, "metrics.jsonl");
      if (entry.isDirectory() && existsSync(file)) seconds += modelSeconds(file);
    }
    if (seconds > 0) return { seconds, run: dir };
  }
  return undefined;
}

/** One model's training time, extrapolated to step 0 from its logged steps/s (0 when unknown). */
function modelSeconds(file: string): number {
  const entries = readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .flatMap((line) => {
      try {
        const e = JSON.parse(line) as { step?: unknown; time?: unknown };
        return typeof e.step === "number" && typeof e.time === "number" ? [{ step: e.step, time: e.time }] : [];
      } catch {
        return [];
      }
    });
  if (entries.length < 2) return 0;
  const first = entries[0];
  const last = entries[entries.length - 1];
  if (last.step <= first.step || last.time <= first.time) return 0;
  const stepsPerSecond = (last.step - first.step) / ((last.time - first.time) / 1000);
  return last.step / stepsPerSecond;
}

function duration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
