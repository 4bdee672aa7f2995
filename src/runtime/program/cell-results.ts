// The stored results of an experiment's cells, keyed by configuration rather than by position:
// a cell's key is a hash of what it trains and measures (its IR blocks and evaluations, and its
// seed), so after the spec's `vary` list changes, `--resume` keeps exactly the cells whose
// configuration is unchanged — wherever they now sit in the grid — and re-runs the others.
// Each cell folder (cell-NNN/seed-S) says which configuration it holds (`cell.json`, written
// before training) and, once finished, its results (`cell-result.json`, with the key). A folder
// reused for another configuration is emptied first; its finished results are kept aside in
// `results/<key>.json` so they can still be found by key.
// Takes an experiment folder and cells; gives the stored results by key and prepared folders.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../fs/atomic-write.js";
import type { EvaluationResult } from "../pipeline/evaluate-model.js";
import type { DistillAnalysis } from "./stages-distill.js";

export const CELL_FILE = "cell.json";
export const CELL_RESULT_FILE = "cell-result.json";
const ASIDE = "results";
/** Files in a cell folder that belong to the process running it, not to its configuration. */
const KEEP_ON_RESET = new Set([".running"]);

/** What a cell is: enough to hash it (IRCell's blocks, evaluations and seed). */
export interface KeyedCell {
  readonly index: number;
  readonly seed: number;
  readonly config: Readonly<Record<string, string>>;
  readonly blocks: readonly unknown[];
  readonly evaluations: readonly unknown[];
}

export interface StoredCell {
  readonly key: string;
  readonly index: number;
  readonly seed: number;
  readonly config: Readonly<Record<string, string>>;
  readonly results: EvaluationResult[];
  readonly analyses?: DistillAnalysis[];
}

export function cellKey(cell: KeyedCell): string {
  return createHash("sha256")
    .update(JSON.stringify({ blocks: cell.blocks, evaluations: cell.evaluations, seed: cell.seed }))
    .digest("hex")
    .slice(0, 20);
}

/** Every finished cell stored under the experiment folder (cell folders, then results set aside), by key. */
export function storedCells(experimentDir: string): Map<string, StoredCell & { dir: string }> {
  const found = new Map<string, StoredCell & { dir: string }>();
  const add = (file: string, dir: string) => {
    const stored = readStored(file);
    if (stored !== null && !found.has(stored.key)) found.set(stored.key, { ...stored, dir });
  };
  for (const cell of subfolders(experimentDir).filter((n) => /^cell-\d+$/.test(n))) {
    for (const seed of subfolders(join(experimentDir, cell)).filter((n) => /^seed-\d+$/.test(n))) {
      const dir = join(experimentDir, cell, seed);
      add(join(dir, CELL_RESULT_FILE), dir);
    }
  }
  const aside = join(experimentDir, ASIDE);
  if (existsSync(aside)) for (const f of readdirSync(aside).filter((f) => f.endsWith(".json"))) add(join(aside, f), aside);
  return found;
}

/** The configuration a cell folder was last used for (null: an unused or pre-key folder). */
export function folderCell(dir: string): { key: string; config: Record<string, string> } | null {
  for (const file of [CELL_FILE, CELL_RESULT_FILE]) {
    try {
      const data = JSON.parse(readFileSync(join(dir, file), "utf8")) as { key?: unknown; config?: Record<string, string> };
      if (typeof data.key === "string") return { key: data.key, config: data.config ?? {} };
    } catch {
      // missing or unreadable: try the next
    }
  }
  return null;
}

/**
 * Makes `dir` the folder of `cell`: when it holds another configuration's work (or work from
 * before keys), its finished results are set aside and the folder is emptied, so nothing of the
 * old configuration (checkpoints above all) is resumed. Gives what the folder held before.
 */
export function prepareCellFolder(
  dir: string,
  experimentDir: string,
  cell: KeyedCell,
  key: string,
): { state: "fresh" | "same" } | { state: "changed"; was: Record<string, string> | null } {
  mkdirSync(dir, { recursive: true });
  const held = folderCell(dir);
  const contents = readdirSync(dir).filter((n) => !KEEP_ON_RESET.has(n));
  let outcome: { state: "fresh" | "same" } | { state: "changed"; was: Record<string, string> | null };
  if (held?.key === key) outcome = { state: "same" };
  else if (contents.length === 0) outcome = { state: "fresh" };
  else {
    const stored = readStored(join(dir, CELL_RESULT_FILE));
    if (stored !== null && !existsSync(join(experimentDir, ASIDE, `${stored.key}.json`))) {
      mkdirSync(join(experimentDir, ASIDE), { recursive: true });
      writeFileAtomic(join(experimentDir, ASIDE, `${stored.key}.json`), `${JSON.stringify(stored)}\n`);
    }
    for (const name of contents) rmSync(join(dir, name), { recursive: true, force: true });
    outcome = { state: "changed", was: held?.config ?? null };
  }
  writeFileAtomic(join(dir, CELL_FILE), `${JSON.stringify({ key, index: cell.index, seed: cell.seed, config: cell.config }, null, 2)}\n`);
  return outcome;
}

/** Records a finished cell in its folder. */
export function storeCell(dir: string, stored: StoredCell): void {
  writeFileAtomic(join(dir, CELL_RESULT_FILE), `${JSON.stringify(stored)}\n`);
}

function readStored(file: string): StoredCell | null {
  try {
    const data = JSON.parse(readFileSync(file, "utf8")) as Partial<StoredCell>;
    // A bare array is a result from before keys: its configuration is unknown, so it is never reused.
    return typeof data.key === "string" && Array.isArray(data.results) ? (data as StoredCell) : null;
  } catch {
    return null;
  }
}

function subfolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch {
    return [];
  }
}
