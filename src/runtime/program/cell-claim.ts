// Claims on experiment cells, so several processes can share one experiment: each process that
// runs `recspec run --experiment NAME --resume` takes the next cell that no live process holds.
// Takes a cell's folder (created if missing); gives a release function, or the process id holding
// the cell.
// A claim is a file holding the owner's pid, created exclusively (O_EXCL), so two processes
// cannot both take a cell; a claim whose process is gone (killed, crashed) is taken over.
import { mkdirSync, openSync, closeSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";

const CLAIM_FILE = ".running";

export type Claim = { release: () => void } | { heldBy: number };

export function claimCell(dir: string): Claim {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, CLAIM_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return { release: () => rmSync(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(readFileSync(file, "utf8"));
      if (holder !== process.pid && alive(holder)) return { heldBy: holder };
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`could not claim ${dir}: another process keeps taking it over`);
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
