// Creating a file that must not exist yet, with its whole content, in one step: the content goes
// to a temp file first, which is then hard-linked to the final name (link fails when the name
// exists, so it never replaces), so another process sees no file or the complete one — never an
// empty file between create and write. Takes the path and the content; gives whether it was created.
import { closeSync, fsyncSync, linkSync, openSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

export function createExclusive(path: string, content: string): boolean {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`);
  const fd = openSync(temp, "wx");
  try {
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    linkSync(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    unlinkSync(temp);
  }
}
