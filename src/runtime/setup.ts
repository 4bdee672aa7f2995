// Runtime start-up for generated code and the CLI. Takes an optional backend name and a log sink;
// selects and activates the tfjs backend, registers gradients (tfjs-core ships none), and gives the
// backend's name and matrix-product path after logging one line such as
// "backend: wasm (matmul: wasm SIMD, 1 thread, transpose-first + batched XNNPACK)".
import { ensureGradients } from "./backend/register-gradients.js";
import { selectBackend } from "./backend/select-backend.js";

export interface StartOptions {
  /** "webgpu" | "node-gpu" | "node" | "wasm" | "cpu"; default: the fastest that starts here. */
  backend?: string;
  /** Where the start-up line goes (default: stderr, so stdout stays free for results). */
  log?: (line: string) => void;
}

export interface RuntimeInfo {
  backend: string;
  matmul: string;
}

export async function startRuntime(options: StartOptions = {}): Promise<RuntimeInfo> {
  const selected = await selectBackend(options.backend);
  // selectBackend registers gradients too; calling again is cheap and keeps this function correct
  // even if backend selection stops doing it.
  await ensureGradients();
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  log(`backend: ${selected.name} (matmul: ${selected.matmul})`);
  return { backend: selected.name, matmul: selected.matmul };
}
