// Turns a failed write into what the user can act on: a full, read-only, over-quota or forbidden disk is a
// RunError (RS6033) naming the file, anything else (a bug, a missing folder) is left as it was.
// Takes the error and the path written; gives the error to throw.
import { RunError } from "../errors/run-error.js";

const DISK_CODES: Record<string, string> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is used up",
  EROFS: "the file system is read-only",
  EACCES: "permission denied",
  EPERM: "the operation is not permitted",
};

export function diskError(error: unknown, path: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = code === undefined ? undefined : DISK_CODES[code];
  if (reason === undefined || error instanceof RunError) return error;
  return new RunError("RS6033", `cannot write ${path}: ${reason} (${code})`, {
    help: "free space on that disk (or make the folder writable), or point --runs at a folder elsewhere, then continue with --resume",
    context: { file: path },
    cause: error,
  });
}
