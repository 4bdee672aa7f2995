// The run a command names: a run folder, SPEC/RUN-ID under the runs folder, or a RUN-ID found
// under it (an error when several specs have one of that name). Only recognisable runs count
// (runs/list-runs.ts). Takes the reference, the working folder and the runs folder; gives the run
// and its spec's folder name, or an InputError saying what is there instead.
import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { listRuns, type ListedRun } from "../runtime/runs/list-runs.js";
import { InputError } from "./io.js";

export function findRun(ref: string, cwd: string, runsDir: string): { run: ListedRun; spec: string } {
  const candidates = [resolve(cwd, ref), join(runsDir, ref)];
  for (const dir of candidates) {
    if (existsSync(dir) && statSync(dir).isDirectory()) {
      const run = listRuns(dirname(dir)).find((r) => r.id === basename(dir));
      if (run) return { run, spec: basename(dirname(dir)) };
      throw new InputError(`${ref} is not a run (no run.json, and no checkpoint, weights or results of an older run)`);
    }
  }
  const matches = (existsSync(runsDir) ? readdirSync(runsDir) : []).flatMap((spec) =>
    listRuns(join(runsDir, spec))
      .filter((r) => r.id === ref)
      .map((run) => ({ run, spec })),
  );
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) throw new InputError(`${ref} names runs of several specs (${matches.map((m) => m.spec).join(", ")}); write SPEC/${ref}`);
  throw new InputError(`no run \`${ref}\` (neither a folder nor a run under ${runsDir}); \`recspec runs\` lists them`);
}
