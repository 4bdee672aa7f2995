// Picks the fastest tfjs backend this machine can run and makes it current. Takes an optional
// backend name (the CLI's --backend); gives which backend and which matmul path are active, so the
// CLI can print them. Gradients are registered too (see register-gradients.ts), since every caller
// goes on to train.
//
// Order when nothing is asked for (BENCH.md has the measurements behind it):
//   webgpu    @tensorflow/tfjs-backend-webgpu on Dawn (npm `webgpu`), only when the adapter is a
//             hardware GPU; a software one (lavapipe) is used only when asked for by name
//   node-gpu  @tensorflow/tfjs-node-gpu: libtensorflow with CUDA (tfjs backend "tensorflow")
//   node      @tensorflow/tfjs-node: libtensorflow on the CPU (also "tensorflow")
//   wasm      @tensorflow/tfjs-backend-wasm, patched for training (wasm-kernels.ts); its matmul is
//             served by OpenBLAS through the native addon (native-blas.ts) when that was built,
//             unless turned off with { native: false } or RECSPEC_NO_NATIVE=1 (the CLI's --no-native)
//   cpu       @tensorflow/tfjs-backend-cpu: plain JavaScript, reference only
// The two node packages are optional dependencies that often fail to install, so each candidate
// is loaded with a dynamic import inside try/catch: absence means "next one", never a crash.
import * as tf from "@tensorflow/tfjs-core";
import { createRequire } from "node:module";
import path from "node:path";
import { BackendUnavailableError, UnknownBackendError } from "./backend-errors.js";
import { ensureGradients } from "./register-gradients.js";
import { startWebGpu } from "./webgpu-backend.js";

/** Names accepted by selectBackend; "tensorflow" is an alias of "node" (tfjs's own name for it). */
export const BACKEND_NAMES = ["webgpu", "node-gpu", "node", "tensorflow", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface SelectedBackend {
  /** Our name for the backend: "webgpu" | "node-gpu" | "node" | "wasm" | "cpu". */
  name: string;
  /** How matrix products run, e.g. "wasm SIMD, 1 thread, transpose-first + batched XNNPACK"; for
   * webgpu, the adapter's name. */
  matmul: string;
  /** tfjs's name for it (tf.getBackend()). */
  tfjsBackend: string;
  /** wasm only: why the native OpenBLAS matmul is not in use, when it was wanted but is unavailable. */
  nativeUnavailable?: string;
}

export interface SelectOptions {
  /** Use the native OpenBLAS addon for matmul on wasm when built (default: true unless the
   * environment has RECSPEC_NO_NATIVE=1). */
  native?: boolean;
  /** Path of the addon's .node file (default: native/build/Release/recspec_blas.node). */
  nativeAddon?: string;
}

type Candidate = "webgpu" | "node-gpu" | "node" | "wasm" | "cpu";
const AUTO_ORDER: Candidate[] = ["webgpu", "node-gpu", "node", "wasm", "cpu"];

const chosen = new Map<string, SelectedBackend>();

/** Selects (and activates) a backend. With `preferred`, that one or a RunError saying why not
 * (UnknownBackendError, BackendUnavailableError); without, the first that works in AUTO_ORDER.
 * Idempotent: later calls return the same answer and re-activate it if something switched
 * backends in between. */
export async function selectBackend(preferred?: string, options: SelectOptions = {}): Promise<SelectedBackend> {
  const wasm: WasmOptions = {
    native: options.native ?? process.env.RECSPEC_NO_NATIVE !== "1",
    nativeAddon: options.nativeAddon,
  };
  const key = `${preferred ?? "auto"}|${wasm.native}|${wasm.nativeAddon ?? ""}`;
  const previous = chosen.get(key);
  if (previous !== undefined) {
    // Another selection may have installed a different wasm matmul since; put this one's back.
    if (previous.name === "wasm") await patchWasm(wasm);
    if (tf.getBackend() !== previous.tfjsBackend) await tf.setBackend(previous.tfjsBackend);
    return previous;
  }
  let result: SelectedBackend;
  if (preferred === undefined) {
    result = await firstAvailable(wasm);
  } else {
    const candidate = toCandidate(preferred);
    const attempt = await tryCandidate(candidate, wasm, true);
    if (typeof attempt === "string") {
      throw new BackendUnavailableError(
        `backend "${preferred}" is not available: ${attempt}`,
        "install its package, or leave --backend out to use the fastest backend that loads",
      );
    }
    result = attempt;
  }
  await ensureGradients();
  chosen.set(key, result);
  return result;
}

function toCandidate(name: string): Candidate {
  switch (name) {
    case "webgpu":
    case "node-gpu":
    case "node":
    case "wasm":
    case "cpu":
      return name;
    case "tensorflow":
      return "node";
    default:
      throw new UnknownBackendError(name, BACKEND_NAMES);
  }
}

async function firstAvailable(wasm: WasmOptions): Promise<SelectedBackend> {
  const reasons: string[] = [];
  for (const candidate of AUTO_ORDER) {
    const attempt = await tryCandidate(candidate, wasm, false);
    if (typeof attempt !== "string") return attempt;
    reasons.push(`${candidate}: ${attempt}`);
  }
  throw new BackendUnavailableError(
    `no tfjs backend could be started:\n  ${reasons.join("\n  ")}`,
    "reinstall recspec's dependencies (npm install); @tensorflow/tfjs-backend-wasm and -cpu should always load",
  );
}

/** Starts one candidate; gives the selection, or a reason string when it cannot run here. */
async function tryCandidate(candidate: Candidate, wasm: WasmOptions, named: boolean): Promise<SelectedBackend | string> {
  try {
    switch (candidate) {
      case "webgpu":
        // Asked for by name, a software adapter will do (tests, lavapipe); chosen automatically,
        // only a GPU: a CPU behind WebGPU is slower than wasm.
        return await startWebGpu(named);
      case "node-gpu":
        return await startNode("@tensorflow/tfjs-node-gpu", "node-gpu");
      case "node":
        return await startNode("@tensorflow/tfjs-node", "node");
      case "wasm":
        return await startWasm(wasm);
      case "cpu":
        await import("@tensorflow/tfjs-backend-cpu");
        if (!(await tf.setBackend("cpu"))) return "tf.setBackend('cpu') failed";
        return { name: "cpu", tfjsBackend: "cpu", matmul: "cpu reference (JavaScript loops)" };
    }
  } catch (error) {
    return error instanceof Error ? error.message.split("\n")[0] : String(error);
  }
}

async function startNode(pkg: string, name: Candidate): Promise<SelectedBackend | string> {
  // A variable specifier: these packages are optional and usually absent, so tsc must not resolve them.
  const specifier: string = pkg;
  await import(specifier);
  if (!(await tf.setBackend("tensorflow"))) return `${pkg} loaded but its backend failed to start`;
  // tfjs-node's backend says whether libtensorflow found a CUDA device.
  const onGpu = (tf.backend() as { isUsingGpuDevice?: boolean }).isUsingGpuDevice === true;
  const matmul =
    name === "node-gpu" && onGpu
      ? "libtensorflow, CUDA"
      : name === "node-gpu"
        ? "libtensorflow, CPU (tfjs-node-gpu found no CUDA device)"
        : "libtensorflow, CPU";
  return { name, tfjsBackend: "tensorflow", matmul };
}

interface WasmOptions {
  native: boolean;
  nativeAddon: string | undefined;
}

/** Installs the wasm training kernels; gives the native addon's description, or why it is not used
 * (undefined reason when native was not asked for). */
async function patchWasm(options: WasmOptions): Promise<{ native?: string; reason?: string }> {
  const { patchWasmBackend } = await import("./wasm-kernels.js");
  if (!options.native) {
    patchWasmBackend();
    return {};
  }
  const { loadNativeBlas, describeNativeBlas } = await import("./native-blas.js");
  const blas = loadNativeBlas(options.nativeAddon);
  if (typeof blas === "string") {
    patchWasmBackend();
    return { reason: blas };
  }
  patchWasmBackend({ native: blas });
  return { native: describeNativeBlas(blas) };
}

async function startWasm(options: WasmOptions): Promise<SelectedBackend | string> {
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  // Point the loader at the .wasm files next to the package's own entry point, resolved from this
  // file, so it works in this checkout and when recspec is installed as someone's dependency.
  const entry = createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm");
  try {
    wasm.setWasmPaths(path.dirname(entry) + path.sep);
  } catch {
    // Already initialised (e.g. by an earlier tf.setBackend('wasm')): its paths evidently worked.
  }
  // SIMD is detected by tfjs (WASM_HAS_SIMD_SUPPORT) and used when Node supports it, which every
  // supported Node does. Threads are not: tfjs hard-codes WASM_HAS_MULTITHREAD_SUPPORT=false in
  // Node (tfjs issue #3830), and forcing it fails because Node's Worker rejects the blob: URL the
  // threaded build spawns its workers from. So the wasm backend is single-threaded here.
  const patched = await patchWasm(options);
  if (!(await tf.setBackend("wasm"))) return "the wasm module failed to initialise";
  const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
  const result: SelectedBackend = {
    name: "wasm",
    tfjsBackend: "wasm",
    matmul: patched.native ?? `wasm ${simd ? "SIMD" : "scalar"}, ${wasm.getThreadsCount()} thread, transpose-first + batched XNNPACK`,
  };
  if (patched.reason !== undefined) result.nativeUnavailable = patched.reason;
  return result;
}
