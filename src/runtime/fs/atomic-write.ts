// Atomic file writes: a reader sees the old file or the whole new one, never a half-written file,
// even when the process is killed mid-write. Writes a temp file beside the target, fsyncs, renames.
// A write that fails (a full disk included) leaves no temp file behind; a full or read-only disk
// is reported as a RunError (RS6033, disk-error.ts).
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { dirname, basename, join } from "node:path";
import { diskError } from "./disk-error.js";

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    const fd = openSync(temp, "w");
    try {
      const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw diskError(error, path);
  }
  fsyncDirectory(dirname(path));
}

/** Makes a rename durable; some file systems refuse to open directories, which is harmless. */
export function fsyncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Directory fsync is not supported everywhere (e.g. some network file systems).
  }
}
