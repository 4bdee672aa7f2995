// Crash-safe file writes for caches. Takes a path and bytes; writes them to a temporary file in the
// same folder, flushes it to disk (fsync), then renames it over the path, so a reader sees either
// the old file or the whole new one — never a torn write, even when two processes race.

import { mkdir, open, rename, rm } from "node:fs/promises";
import { dirname, basename, join } from "node:path";

let counter = 0;

export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${++counter}.tmp`);
  try {
    const handle = await open(temp, "w");
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  // Make the rename itself durable; not every platform lets a folder be opened and synced.
  try {
    const folder = await open(dir, "r");
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  } catch {
    // Best effort only.
  }
}
