// What a generated program calls for a block the runtime cannot run yet: a clear stop, naming the
// block, instead of a silently partial run.
import type { BlockSpec } from "./types.js";

export class UnsupportedBlockError extends Error {}

export function unsupported(block: BlockSpec, reason: string): never {
  throw new UnsupportedBlockError(`${block.kind} \`${block.name}\` (${block.type}): ${reason}`);
}
