// Trained blocks shared between the cells of an experiment. A cell that varies only the student of
// a distillation, or only the ranker's item representation, has the same teacher or quantizer as
// its neighbours with the same seed: that block is trained once and the other cells load it. A
// block's key is a hash of its IR (attributes, train settings, seed) and the keys of the blocks it
// depends on, so two cells share a block exactly when everything that shaped its weights is equal.
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { writeFileAtomic } from "../fs/atomic-write.js";

export interface SharedBlocks {
  /** Folder holding one sub-folder per trained block key. */
  readonly dir: string;
  /** Block name → key, for the blocks of the cell being run. */
  readonly keys: ReadonlyMap<string, string>;
}

interface KeyedBlock {
  readonly name: string;
  readonly dependsOn?: readonly string[];
}

/** Keys of every block: sha256 of the block's JSON and its dependencies' keys (blocks come in dependency order). */
export function blockKeys<B extends KeyedBlock>(blocks: readonly B[], salt = ""): Map<string, string> {
  const keys = new Map<string, string>();
  const byName = new Map(blocks.map((b) => [b.name, b]));
  const keyOf = (block: KeyedBlock): string => {
    const known = keys.get(block.name);
    if (known !== undefined) return known;
    const deps = (block.dependsOn ?? []).map((d) => {
      const dep = byName.get(d);
      return dep ? keyOf(dep) : d;
    });
    const key = createHash("sha256").update(salt).update(JSON.stringify(block)).update(deps.join(",")).digest("hex").slice(0, 24);
    keys.set(block.name, key);
    return key;
  };
  for (const b of blocks) keyOf(b);
  return keys;
}

const DONE_FILE = "shared.json";

/** The shared folder holding a completed copy of `block`, or null when it has none yet. */
export function sharedCopy(shared: SharedBlocks | undefined, block: string): string | null {
  const key = shared?.keys.get(block);
  if (!shared || key === undefined) return null;
  const dir = join(shared.dir, `${block}-${key}`);
  return existsSync(join(dir, DONE_FILE)) ? dir : null;
}

/** What the cell that trained the block recorded about its training (for the reusing cell's summary). */
export function sharedSummary<T>(dir: string): T {
  return (JSON.parse(readFileSync(join(dir, DONE_FILE), "utf8")) as { summary: T }).summary;
}

/**
 * Copies a trained block's folder into the shared store. The copy is made under a temporary name
 * and renamed, with its marker file written last, so an interrupted copy is never taken as done.
 */
export function shareTrained(shared: SharedBlocks | undefined, block: string, from: string, summary: unknown): void {
  const key = shared?.keys.get(block);
  if (!shared || key === undefined) return;
  const dir = join(shared.dir, `${block}-${key}`);
  if (existsSync(join(dir, DONE_FILE))) return;
  const temp = `${dir}.${process.pid}.tmp`;
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(dirname(temp), { recursive: true });
  cpSync(from, temp, { recursive: true });
  rmSync(dir, { recursive: true, force: true });
  renameSync(temp, dir);
  writeFileAtomic(join(dir, DONE_FILE), `${JSON.stringify({ block, key, summary }, null, 2)}\n`);
}
