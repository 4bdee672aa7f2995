// The hard memory limit of one forward pass, and the check that a micro-batch plan respects it.
// Takes the backend (the wasm heap cannot pass 4 GiB; other backends have the machine's memory)
// and a plan (examples, estimated bytes, parts); gives nothing, or a MemoryLimitError (RS6006)
// before training starts — a size the machine cannot hold, said in the spec's terms, instead of a
// crash in the middle of a step.
import os from "node:os";
import { RunError } from "../errors/run-error.js";
import { formatBytes } from "./micro-batches.js";

/** The wasm backend's heap cannot grow past 4 GiB (32-bit addresses). */
export const WASM_HEAP_BYTES = 4 * 1024 ** 3;

/** The most one forward pass may take on a tfjs backend. */
export function passLimitBytes(backend: string): number {
  return backend === "wasm" ? WASM_HEAP_BYTES : os.totalmem();
}

export class MemoryLimitError extends RunError {
  constructor(
    readonly passBytes: number,
    readonly limitBytes: number,
    examplesPerPass: number,
    fromSpec: boolean,
  ) {
    const pass = `${examplesPerPass} example${examplesPerPass === 1 ? "" : "s"}`;
    super("RS6006", `one forward pass of ${pass} needs est. ${formatBytes(passBytes)}, over the ${formatBytes(limitBytes)} this backend can hold`, {
      help: fromSpec
        ? "lower `micro_batch` in the train block (or leave it out to let recspec split batches to fit)"
        : "make one example smaller: shorter histories or a smaller model (`embedding`, encoder layers or widths)",
    });
  }
}

/** Throws MemoryLimitError when a batch of `size` examples estimated at `bytes`, split into
 * `parts`, still has a pass over `limit` (activations grow linearly with a pass's examples). */
export function checkPassFits(size: number, bytes: number, parts: number, limit: number, fromSpec: boolean): void {
  if (size <= 0) return;
  const perPass = Math.ceil(size / parts);
  const passBytes = (bytes / size) * perPass;
  if (passBytes > limit) throw new MemoryLimitError(passBytes, limit, perPass, fromSpec);
}
