// The Semantic-ID table every quantizer produces and the generative and ranking models consume.
// Takes each item's base codes (levels tokens, each in [0, codebook)); gives the table with the
// collision suffix appended (items sharing all base codes are numbered 0, 1, 2, … in item order,
// so every item's ID is unique), per-level codebook usage, and save/load as a run artifact (JSON,
// atomic write) so a later spec or `recspec eval` reads the same IDs.
import { mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { writeFileAtomic } from "../fs/atomic-write.js";

export interface SemanticIdTable {
  /** Base tokens per item (the quantizer's levels). */
  readonly levels: number;
  /** Codes per base level: base tokens lie in [0, codebook). */
  readonly codebook: number;
  /** levels + 1 with a collision suffix, else levels. */
  readonly tokensPerItem: number;
  /**
   * (numItems + 1) × tokensPerItem row-major. Row 0 (the padding item) is all −1: it has no ID,
   * and any consumer that forgets to skip it fails loudly on a negative index. The suffix token
   * (last column, when present) lies in [0, collisions.maxSuffix].
   */
  readonly codes: Int32Array;
  readonly collisions: {
    /** Largest suffix given (0 when no two items share their base codes). */
    readonly maxSuffix: number;
    /** Items whose base codes another item also has. */
    readonly collidingItems: number;
  };
}

export type CollisionMode = "suffix_token" | "none";

/** Number of real items the table describes. */
export function tableItems(table: SemanticIdTable): number {
  return table.codes.length / table.tokensPerItem - 1;
}

/**
 * Builds the table from base codes [(numItems + 1) × levels] (row 0 ignored). With
 * "suffix_token" a last token numbers the items sharing the same base codes.
 */
export function buildSemanticIdTable(base: Int32Array, levels: number, codebook: number, collisions: CollisionMode): SemanticIdTable {
  const rows = base.length / levels;
  if (!Number.isInteger(rows) || rows < 1) throw new Error(`semantic ids: ${base.length} codes is not a multiple of ${levels} levels`);
  const numItems = rows - 1;
  const suffix = collisions === "suffix_token";
  const tokens = levels + (suffix ? 1 : 0);
  const codes = new Int32Array(rows * tokens).fill(-1);
  const seen = new Map<string, number>();
  const groupSize = new Map<string, number>();
  let maxSuffix = 0;
  for (let i = 1; i <= numItems; i++) {
    const key = keyOf(base, i, levels, codebook);
    groupSize.set(key, (groupSize.get(key) ?? 0) + 1);
  }
  let collidingItems = 0;
  for (let i = 1; i <= numItems; i++) {
    const key = keyOf(base, i, levels, codebook);
    for (let l = 0; l < levels; l++) codes[i * tokens + l] = base[i * levels + l];
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    if (suffix) codes[i * tokens + levels] = n;
    maxSuffix = Math.max(maxSuffix, n);
    if (groupSize.get(key)! > 1) collidingItems++;
  }
  return {
    levels,
    codebook,
    tokensPerItem: tokens,
    codes,
    collisions: { maxSuffix, collidingItems },
  };
}

function keyOf(base: Int32Array, item: number, levels: number, codebook: number): string {
  let key = "";
  for (let l = 0; l < levels; l++) {
    const c = base[item * levels + l];
    if (!Number.isInteger(c) || c < 0 || c >= codebook) throw new Error(`semantic ids: item ${item} level ${l} has code ${c}, outside [0, ${codebook})`);
    key += `${c},`;
  }
  return key;
}

export interface CodebookUsage {
  /** Per base level: distinct codes used by the items / codebook. */
  readonly perLevel: number[];
  /** Distinct base-code tuples / items. */
  readonly uniqueShare: number;
}

export function codebookUsage(table: SemanticIdTable): CodebookUsage {
  const n = tableItems(table);
  const t = table.tokensPerItem;
  const perLevel: number[] = [];
  for (let l = 0; l < table.levels; l++) {
    const used = new Set<number>();
    for (let i = 1; i <= n; i++) used.add(table.codes[i * t + l]);
    perLevel.push(used.size / table.codebook);
  }
  const tuples = new Set<string>();
  for (let i = 1; i <= n; i++) tuples.add(Array.from(table.codes.subarray(i * t, i * t + table.levels)).join(","));
  return { perLevel, uniqueShare: n === 0 ? 1 : tuples.size / n };
}

/** One line for the run log: usage per level and collisions. */
export function describeTable(name: string, table: SemanticIdTable): string {
  const usage = codebookUsage(table);
  const levels = usage.perLevel.map((u, l) => `L${l + 1} ${(100 * u).toFixed(1)}%`).join(", ");
  return (
    `${name}: ${tableItems(table)} items, ${table.levels} levels × ${table.codebook} codes; codebook usage ${levels}; ` +
    `${(100 * usage.uniqueShare).toFixed(1)}% unique base IDs, ${table.collisions.collidingItems} colliding items, max suffix ${table.collisions.maxSuffix}`
  );
}

const FORMAT = "recspec semantic-ids v1";

/** Writes the table as JSON, atomically (a reader never sees half a file). */
export function saveSemanticIdTable(file: string, table: SemanticIdTable, meta: Record<string, unknown> = {}): void {
  mkdirSync(dirname(file), { recursive: true });
  const body = {
    format: FORMAT,
    ...meta,
    levels: table.levels,
    codebook: table.codebook,
    tokensPerItem: table.tokensPerItem,
    numItems: tableItems(table),
    collisions: table.collisions,
    codes: Array.from(table.codes),
  };
  writeFileAtomic(file, `${JSON.stringify(body)}\n`);
}

export function loadSemanticIdTable(file: string): SemanticIdTable {
  const body = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  if (body.format !== FORMAT) throw new Error(`${file}: not a semantic-id table (format ${JSON.stringify(body.format)})`);
  const levels = body.levels as number;
  const tokensPerItem = body.tokensPerItem as number;
  const codes = Int32Array.from(body.codes as number[]);
  if (codes.length !== ((body.numItems as number) + 1) * tokensPerItem) throw new Error(`${file}: codes do not match numItems × tokensPerItem`);
  const c = body.collisions as { maxSuffix: number; collidingItems: number };
  return {
    levels,
    codebook: body.codebook as number,
    tokensPerItem,
    codes,
    collisions: { maxSuffix: c.maxSuffix, collidingItems: c.collidingItems },
  };
}
