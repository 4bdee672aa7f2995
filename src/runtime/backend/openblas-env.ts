// Chooses OpenBLAS's kernel set and thread count before libopenblas loads. Takes the process
// environment and /proc/cpuinfo; gives the values it set (and sets them in the environment, which
// OpenBLAS reads once, when the library is first loaded by the native addon).
//
// Why: OpenBLAS 0.3.21 (Debian 12) does not recognise newer CPUs and falls back to its generic
// kernels, several times slower (BENCH.md). Its DYNAMIC_ARCH build honours OPENBLAS_CORETYPE, so we
// name the best kernel family the CPU's flags allow. A value the user already set always wins, and
// on CPUs without AVX2 we leave it unset and let OpenBLAS decide.
import { readFileSync } from "node:fs";
import os from "node:os";

export interface OpenBlasEnv {
  /** OPENBLAS_CORETYPE in effect, or undefined when left to OpenBLAS. */
  coretype: string | undefined;
  /** Where the coretype came from. */
  coretypeSource: "user" | "cpuinfo" | "unset";
  /** OPENBLAS_NUM_THREADS in effect. */
  threads: string;
}

/** The OpenBLAS core type for a CPU with these /proc/cpuinfo flags, or undefined for "let it pick". */
export function coretypeFromCpuinfo(cpuinfo: string): string | undefined {
  const flagsLine = cpuinfo.split("\n").find((line) => /^flags\s*:/.test(line));
  if (flagsLine === undefined) return undefined;
  const flags = new Set(
    flagsLine
      .slice(flagsLine.indexOf(":") + 1)
      .trim()
      .split(/\s+/),
  );
  if (flags.has("avx512f")) return "SKYLAKEX";
  if (flags.has("avx2")) return "HASWELL";
  return undefined;
}

/** Sets OPENBLAS_CORETYPE (unless already set) and OPENBLAS_NUM_THREADS (unless already set) in
 * `env`. Must run before the addon is loaded; later changes are not seen by OpenBLAS. */
export function configureOpenBlasEnv(
  env: NodeJS.ProcessEnv = process.env,
  cpuinfo: string | null = readCpuinfo(),
  cpus: number = os.availableParallelism(),
): OpenBlasEnv {
  let coretypeSource: OpenBlasEnv["coretypeSource"] = "unset";
  const userCoretype = env.OPENBLAS_CORETYPE;
  if (userCoretype !== undefined && userCoretype !== "") {
    coretypeSource = "user";
  } else {
    const chosen = cpuinfo === null ? undefined : coretypeFromCpuinfo(cpuinfo);
    if (chosen !== undefined) {
      env.OPENBLAS_CORETYPE = chosen;
      coretypeSource = "cpuinfo";
    }
  }
  if (env.OPENBLAS_NUM_THREADS === undefined || env.OPENBLAS_NUM_THREADS === "") {
    env.OPENBLAS_NUM_THREADS = String(Math.max(1, cpus));
  }
  return { coretype: env.OPENBLAS_CORETYPE || undefined, coretypeSource, threads: env.OPENBLAS_NUM_THREADS };
}

function readCpuinfo(): string | null {
  try {
    return readFileSync("/proc/cpuinfo", "utf8");
  } catch {
    return null; // not Linux: OpenBLAS detects the CPU itself
  }
}
