// The WebGPU backend against the cpu backend, op by op (op-sweep.ts, in a child process so Dawn
// and its driver never load into the test runner): forward values and gradients agree, addN over
// the per-shader input limit is exact, and a tensor over the device's buffer limit fails the run
// with RS6010 instead of reading back zeros. Skipped, saying why, where no adapter can be made.
import { execFileSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO, webGpuEnv } from "./lavapipe-env.js";

interface Sweep {
  skip?: string;
  adapter: string;
  cases: { name: string; maxError: number; scale: number }[];
  chunked: number[];
  deviceError: string | null;
  limit: number;
}

let sweep: Sweep;

beforeAll(() => {
  const out = execFileSync(process.execPath, ["--import", "tsx", "test/webgpu/op-sweep.ts"], {
    cwd: REPO,
    env: webGpuEnv(),
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  sweep = JSON.parse(out.trim().split("\n").at(-1) as string) as Sweep;
  if (sweep.skip !== undefined) console.log(`webgpu op sweep skipped: ${sweep.skip}`);
  else console.log(`webgpu op sweep on ${sweep.adapter}`);
}, 300_000);

describe("webgpu backend vs cpu", () => {
  it("gives the same forward values and gradients for every op a recommender uses", (ctx) => {
    if (sweep.skip !== undefined) ctx.skip();
    expect(sweep.cases.length).toBeGreaterThanOrEqual(20);
    // float32 on both; allow 2e-6 of each case's magnitude (matmuls sum in another order).
    const bad = sweep.cases.filter((c) => !(c.maxError <= 2e-6 * Math.max(1, c.scale)));
    expect(bad).toEqual([]);
  });

  it("sums more addN inputs than one shader may bind, in chunks, exactly", (ctx) => {
    if (sweep.skip !== undefined) ctx.skip();
    expect(sweep.chunked).toEqual([78, 78, 78, 78]);
  });

  it("turns a buffer over the device's binding limit into RS6010 naming the op and shape", (ctx) => {
    if (sweep.skip !== undefined || sweep.limit > 2 ** 28) ctx.skip();
    expect(sweep.deviceError).toMatch(/^RS6010 WebGPU validation error while running FillProgram \(inputs none → \[\d+\]\)/);
  });
});
