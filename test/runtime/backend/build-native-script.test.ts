// scripts/build-native.mjs must never fail an install: every way of not building exits 0 and says why.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("../../../scripts/build-native.mjs", import.meta.url));

function runScript(env: Record<string, string>) {
  return spawnSync(process.execPath, [script], { encoding: "utf8", env: { ...process.env, ...env } });
}

describe("scripts/build-native.mjs", () => {
  it("exits 0 and says it skipped when RECSPEC_NO_NATIVE=1", () => {
    const r = runScript({ RECSPEC_NO_NATIVE: "1" });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/not built \(RECSPEC_NO_NATIVE=1\)/);
  });

  it("exits 0 and names the missing compiler when there is none", () => {
    const r = runScript({ RECSPEC_NO_NATIVE: "", CC: "/nonexistent/cc" });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/not built \(no C compiler/);
  });
});
