// What a run folder holds to resume from: every folder with checkpoints under it (blocks, IDW
// phases, experiment cells), checked newest checkpoint first, with corrupt ones set aside
// (checkpoint.ts), and whether any block has a usable checkpoint or trained weights at all.
// Takes the run folder and a log; gives what was found.
import { existsSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { latestUsableCheckpoint, listCheckpoints } from "../train/checkpoint.js";

export interface ResumeScan {
  /** Folders (relative to the run) with a usable checkpoint, and the checkpoint each continues from. */
  readonly usable: { folder: string; checkpoint: string }[];
  /** Folders with trained weights (`model/`). */
  readonly trained: string[];
}

const CHECKPOINT = /^ckpt-\d+$/;

export function scanForResume(runDir: string, log: (line: string) => void): ResumeScan {
  const usable: { folder: string; checkpoint: string }[] = [];
  const trained: string[] = [];
  const visit = (dir: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const checkpoints = entries.filter((e) => e.isDirectory() && CHECKPOINT.test(e.name)).map((e) => e.name);
    if (checkpoints.length > 0) {
      const folder = relative(runDir, dir) || ".";
      // Torn checkpoints (a file missing or of the wrong size) are never taken: say so.
      const complete = new Set(listCheckpoints(dir).map((c) => relative(dir, c.path)));
      for (const name of checkpoints) if (!complete.has(name)) log(`${folder}: checkpoint ${name} is incomplete (torn write); skipped`);
      let setAside = 0;
      const found = latestUsableCheckpoint(dir, (bad, reason) => {
        setAside++;
        log(`${folder}: checkpoint ${relative(dir, bad)} is corrupt (${reason}); set aside as ${relative(dir, bad)}.corrupt`);
      });
      if (found !== null) {
        usable.push({ folder, checkpoint: found });
        const newest = Math.max(...checkpoints.map((n) => Number(n.slice("ckpt-".length))));
        if (setAside > 0 || Number(relative(dir, found).slice("ckpt-".length)) < newest)
          log(`${folder}: continuing from the older checkpoint ${relative(dir, found)}`);
      } else {
        log(`${folder}: no usable checkpoint left; it trains from the start`);
      }
    }
    if (existsSync(join(dir, "model", "model.json"))) trained.push(relative(runDir, dir) || ".");
    // Blocks sit at <run>/<block>, IDW phases and experiment cells a few levels deeper.
    if (depth >= 8) return;
    for (const e of entries) {
      if (
        e.isDirectory() &&
        !CHECKPOINT.test(e.name) &&
        e.name !== "model" &&
        !e.name.startsWith(".") &&
        !e.name.endsWith(".tmp") &&
        !e.name.endsWith(".corrupt")
      ) {
        visit(join(dir, e.name), depth + 1);
      }
    }
  };
  visit(runDir, 0);
  return { usable, trained };
}
