// Whether a process id names a live process on this machine (signal 0 probes without signalling);
// a process of another user (EPERM) is alive too. Used to tell stale locks and claims from held ones.
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
