// OPENBLAS_CORETYPE / OPENBLAS_NUM_THREADS selection: a user's value wins, else CPU flags decide.
import { describe, expect, it } from "vitest";
import { configureOpenBlasEnv, coretypeFromCpuinfo } from "../../../src/runtime/backend/openblas-env.js";

const cpuinfo = (flags: string) => `processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu sse2 ${flags}\n\nprocessor\t: 1\n`;

describe("coretypeFromCpuinfo", () => {
  it("picks SKYLAKEX for avx512f, HASWELL for avx2, nothing otherwise", () => {
    expect(coretypeFromCpuinfo(cpuinfo("avx avx2 avx512f avx512bw"))).toBe("SKYLAKEX");
    expect(coretypeFromCpuinfo(cpuinfo("avx avx2 fma"))).toBe("HASWELL");
    expect(coretypeFromCpuinfo(cpuinfo("avx sse4_2"))).toBeUndefined();
    expect(coretypeFromCpuinfo("no flags line here")).toBeUndefined();
  });

  it("matches whole flags, not prefixes (avx512 sub-features alone do not count)", () => {
    expect(coretypeFromCpuinfo(cpuinfo("avx512fp16"))).toBeUndefined();
  });
});

describe("configureOpenBlasEnv", () => {
  it("keeps a user-set coretype and thread count", () => {
    const env: NodeJS.ProcessEnv = { OPENBLAS_CORETYPE: "ZEN", OPENBLAS_NUM_THREADS: "1" };
    const r = configureOpenBlasEnv(env, cpuinfo("avx2 avx512f"), 8);
    expect(r).toEqual({ coretype: "ZEN", coretypeSource: "user", threads: "1" });
    expect(env).toEqual({ OPENBLAS_CORETYPE: "ZEN", OPENBLAS_NUM_THREADS: "1" });
  });

  it("chooses from the CPU flags and sets threads to the CPU count when unset", () => {
    const env: NodeJS.ProcessEnv = {};
    const r = configureOpenBlasEnv(env, cpuinfo("avx2 avx512f"), 2);
    expect(r).toEqual({ coretype: "SKYLAKEX", coretypeSource: "cpuinfo", threads: "2" });
    expect(env.OPENBLAS_CORETYPE).toBe("SKYLAKEX");
    expect(env.OPENBLAS_NUM_THREADS).toBe("2");
  });

  it("leaves the coretype unset on older CPUs or without /proc/cpuinfo", () => {
    const env: NodeJS.ProcessEnv = { OPENBLAS_NUM_THREADS: "3" };
    expect(configureOpenBlasEnv(env, cpuinfo("sse4_2"), 2)).toEqual({ coretype: undefined, coretypeSource: "unset", threads: "3" });
    expect("OPENBLAS_CORETYPE" in env).toBe(false);
    expect(configureOpenBlasEnv({}, null, 4).coretypeSource).toBe("unset");
  });
});
