// The differences between two configurations of a spec (recorded IRs), one line each, named by
// the spec's own paths: `sasrec.train.batch: 128 → 256`, `seq.encoder.layers: 1 → 2`,
// `block items: added`. Blocks (what training depends on) are kept apart from the rest
// (evaluations, experiments, params), which change what is measured but not what is trained.
// Takes the two IRs as plain JSON; gives the two lists of lines.

type Json = unknown;

interface NamedBlock {
  name: string;
  kind?: string;
  type?: string;
  attributes?: Record<string, Json>;
  train?: Record<string, Json> | null;
}

export interface ConfigDiff {
  /** Differences in the blocks: what the models are and how they train. */
  readonly training: string[];
  /** Differences in evaluations, experiments and params. */
  readonly other: string[];
}

export function diffConfigs(before: Record<string, Json>, after: Record<string, Json>): ConfigDiff {
  const training: string[] = [];
  const other: string[] = [];
  const oldBlocks = byKey(before.blocks, (b: NamedBlock) => b.name);
  const newBlocks = byKey(after.blocks, (b: NamedBlock) => b.name);
  for (const name of union(oldBlocks, newBlocks)) {
    const a = oldBlocks.get(name) as NamedBlock | undefined;
    const b = newBlocks.get(name) as NamedBlock | undefined;
    if (a === undefined || b === undefined) {
      training.push(`block ${name}: ${a === undefined ? "added" : "removed"}`);
      continue;
    }
    if (a.kind !== b.kind || a.type !== b.type) training.push(`${name}: ${a.kind} ${a.type} → ${b.kind} ${b.type}`);
    diffValue(name, a.attributes ?? {}, b.attributes ?? {}, training);
    diffValue(`${name}.train`, a.train ?? null, b.train ?? null, training);
  }
  const evalKey = (e: { model?: string; dataset?: string; split?: string }) => `evaluate ${e.model} on ${e.dataset}.${e.split}`;
  const oldEvals = byKey(before.evaluations, evalKey);
  const newEvals = byKey(after.evaluations, evalKey);
  for (const key of union(oldEvals, newEvals)) {
    if (!oldEvals.has(key) || !newEvals.has(key)) other.push(`${key}: ${oldEvals.has(key) ? "removed" : "added"}`);
    else diffValue(key, oldEvals.get(key), newEvals.get(key), other);
  }
  // An experiment's expanded cells follow from the rest of it and the blocks: compare the rest.
  const experimentOf = (e: Json) => {
    const { cells: _cells, ...rest } = (e ?? {}) as Record<string, Json>;
    return rest;
  };
  const oldExps = byKey(before.experiments, (e: { name?: string }) => `experiment ${e.name}`);
  const newExps = byKey(after.experiments, (e: { name?: string }) => `experiment ${e.name}`);
  for (const key of union(oldExps, newExps)) {
    if (!oldExps.has(key) || !newExps.has(key)) other.push(`${key}: ${oldExps.has(key) ? "removed" : "added"}`);
    else diffValue(key, experimentOf(oldExps.get(key)), experimentOf(newExps.get(key)), other);
  }
  diffValue("params", before.params ?? {}, after.params ?? {}, other);
  return { training, other };
}

function diffValue(path: string, a: Json, b: Json, out: string[]): void {
  if (isObject(a) && isObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!(key in a)) out.push(`${path}.${key}: (none) → ${show(b[key])}`);
      else if (!(key in b)) out.push(`${path}.${key}: ${show(a[key])} → (none)`);
      else diffValue(`${path}.${key}`, a[key], b[key], out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => diffValue(`${path}[${i}]`, x, b[i], out));
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${path}: ${show(a)} → ${show(b)}`);
}

function isObject(v: Json): v is Record<string, Json> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function show(v: Json): string {
  return typeof v === "number" || typeof v === "boolean" || v === null ? String(v) : JSON.stringify(v);
}

function byKey<T>(list: Json, key: (item: T) => string): Map<string, T> {
  return new Map(Array.isArray(list) ? (list as T[]).map((item) => [key(item), item] as const) : []);
}

function union<K>(a: Map<K, unknown>, b: Map<K, unknown>): K[] {
  return [...new Set([...a.keys(), ...b.keys()])];
}
