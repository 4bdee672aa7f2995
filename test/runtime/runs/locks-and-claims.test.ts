// The run lock and the experiment cell claim: created with their content in one step (never an
// empty file a second process could take as stale), refused while a live process holds them,
// taken over when the holder is dead.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RunError } from "../../../src/runtime/errors/run-error.js";
import { createExclusive } from "../../../src/runtime/fs/exclusive-file.js";
import { claimCell } from "../../../src/runtime/program/cell-claim.js";
import { lockRun } from "../../../src/runtime/runs/run-lock.js";

const dir = () => mkdtempSync(join(tmpdir(), "recspec-locks-"));

/** A pid no process has: a short-lived child's, after it exited. */
async function deadPid(): Promise<number> {
  const child = spawn("true");
  await new Promise((done) => child.once("exit", done));
  return child.pid!;
}

describe("createExclusive", () => {
  it("creates the file with its whole content once, never replaces it, and leaves no temp file", () => {
    const d = dir();
    const file = join(d, "claim");
    expect(createExclusive(file, "first")).toBe(true);
    expect(createExclusive(file, "second")).toBe(false);
    expect(readFileSync(file, "utf8")).toBe("first");
    expect(readdirSync(d)).toEqual(["claim"]);
  });
});

describe("lockRun", () => {
  it("refuses while a live process holds the run (RS6031), and takes over a dead holder's lock", async () => {
    const d = dir();
    const holder = spawn("sleep", ["30"]);
    try {
      writeFileSync(join(d, ".lock"), JSON.stringify({ pid: holder.pid, host: hostname(), startedAt: "2026-01-01T00:00:00Z" }));
      let caught: unknown;
      try {
        lockRun(d);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(RunError);
      expect((caught as RunError).code).toBe("RS6031");
      expect((caught as RunError).message).toBe(`the run is in use by process ${holder.pid} (since 2026-01-01T00:00:00Z)`);
    } finally {
      holder.kill();
    }
    writeFileSync(join(d, ".lock"), JSON.stringify({ pid: await deadPid(), host: hostname(), startedAt: "then" }));
    const release = lockRun(d);
    expect(JSON.parse(readFileSync(join(d, ".lock"), "utf8")).pid).toBe(process.pid);
    // A second lock in this same process is refused too: one attempt at a time.
    expect(() => lockRun(d)).toThrow(/in use by process/);
    release();
    expect(existsSync(join(d, ".lock"))).toBe(false);
  });

  it("never takes over the lock of a process on another host", () => {
    const d = dir();
    writeFileSync(join(d, ".lock"), JSON.stringify({ pid: 1, host: "some-other-host", startedAt: "then" }));
    expect(() => lockRun(d)).toThrow(/in use by process 1 on some-other-host/);
  });
});

describe("claimCell", () => {
  it("holds a cell for the claiming process, reports a live holder, and takes over a dead one", async () => {
    const d = join(dir(), "cell-001", "seed-0");
    const claim = claimCell(d);
    expect("release" in claim).toBe(true);
    expect(readFileSync(join(d, ".running"), "utf8")).toBe(String(process.pid));
    if ("release" in claim) claim.release();
    expect(existsSync(join(d, ".running"))).toBe(false);

    const holder = spawn("sleep", ["30"]);
    try {
      writeFileSync(join(d, ".running"), String(holder.pid));
      expect(claimCell(d)).toEqual({ heldBy: holder.pid });
    } finally {
      holder.kill();
    }
    writeFileSync(join(d, ".running"), String(await deadPid()));
    const taken = claimCell(d);
    expect("release" in taken).toBe(true);
    expect(readFileSync(join(d, ".running"), "utf8")).toBe(String(process.pid));
  });
});
