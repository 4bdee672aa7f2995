// Claims on experiment cells, so several processes can share one experiment: each process that
// runs `recspec run --experiment NAME --resume` takes the next cell that no live process holds.
// Takes a cell's folder (created if missing); gives a release function, or the process id holding
// the cell.
// A claim is a file holding the owner's pid, created with its content in one step (a temp file
// linked to the claim's name, exclusive-file.ts), so two processes cannot both take a cell and no
// process ever reads an empty claim; a claim whose process is gone (killed, crashed) is taken over.
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createExclusive } from "../fs/exclusive-file.js";
import { processAlive } from "../runs/process-alive.js";

const CLAIM_FILE = ".running";

export type Claim = { release: () => void } | { heldBy: number };

export function claimCell(dir: string): Claim {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, CLAIM_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createExclusive(file, String(process.pid))) return { release: () => rmSync(file, { force: true }) };
    const holder = readHolder(file);
    if (holder === null) continue; // released between our attempt and the read: try again
    if (holder !== process.pid && processAlive(holder)) return { heldBy: holder };
    rmSync(file, { force: true }); // stale: its process is gone
  }
  throw new Error(`could not claim ${dir}: another process keeps taking it over`);
}

function readHolder(file: string): number | null {
  try {
    return Number(readFileSync(file, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}
