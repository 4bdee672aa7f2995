// The precomputed teacher of `precompute = true`. Takes a trained sequential teacher and the
// training examples; gives, for every example, the teacher's final hidden states at the positions
// the student trains on, so a student epoch needs no teacher encoder pass — and the same cache on
// disk (one binary file, written atomically) for the next run or a resume.
//
// Why hidden states, not probabilities: the teacher's logits are h · Wᵀ with W its item table, so
// h [E_t] carries the whole output row for the price of one matmul, while the probability rows
// themselves are 12,102 floats each on Beauty — ≈ 1.1 GB for the last positions of 22k users,
// ≈ 6 GB for all positions. Hidden states of *all* positions are ~ 130k × 64 × 4 B ≈ 35 MB, so
// nothing has to be restricted; the softmax at τ and the teacher transform are recomputed per batch
// (cheap next to the student's own [P, C] logits and their gradient).
//
// Lookup: a batch row is matched to its example by content (user, target and the history's real
// items), so any batching order works. Position t of a trimmed batch of length L holding n real
// items maps to the example's row t − (L − n); with `last`, each example holds one row.
// File: "RSTC" u32 version, u32 header bytes, JSON header {fingerprint, examples, rows, embedding,
// positions}, then offsets Int32[examples + 1] and hidden Float32[rows × embedding], little-endian.
// A file whose fingerprint (teacher weights, examples, history length, positions) differs is stale
// and rebuilt.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { makeBatch, type Batch } from "../data/batching.js";
import type { Example } from "../data/split.js";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { INFERENCE } from "../layers/dropout.js";
import { embeddingOf, type SequenceNetwork } from "./sequence-network.js";

const MAGIC = 0x43545352; // "RSTC" read as little-endian u32
const VERSION = 1;

export type CachePositions = "all" | "last";

export class TeacherCache {
  private readonly index = new Map<string, number>();

  constructor(
    /** Hidden width E_t. */
    readonly embedding: number,
    /** Row range of example i: offsets[i] .. offsets[i + 1]. */
    readonly offsets: Int32Array,
    /** [rows, E_t] row-major. */
    readonly hidden: Float32Array,
    readonly positions: CachePositions,
    readonly fingerprint: string,
    examples: readonly Example[],
    readonly historyLength: number,
  ) {
    if (offsets.length !== examples.length + 1) throw new Error(`teacher cache: ${offsets.length - 1} examples cached, ${examples.length} given`);
    if (hidden.length !== offsets[examples.length] * embedding) throw new Error("teacher cache: hidden size does not match its offsets");
    examples.forEach((ex, i) => {
      const items = ex.history.subarray(Math.max(0, ex.history.length - historyLength));
      this.index.set(exampleKey(ex.user, ex.target, items), i);
    });
  }

  get rows(): number {
    return this.offsets[this.offsets.length - 1];
  }

  /**
   * Cached hidden states [P, E_t] for flat rows b·L + t of a batch trimmed to its last L columns
   * (as targetPositions gives them).
   */
  lookup(batch: Batch, length: number, rows: Int32Array): Float32Array {
    const e = this.embedding;
    const t = batch.length;
    const exampleOf = new Int32Array(batch.size);
    const realOf = new Int32Array(batch.size);
    for (let b = 0; b < batch.size; b++) {
      const row = batch.histories.subarray(b * t, (b + 1) * t);
      let first = 0;
      while (first < t && row[first] === 0) first++;
      const found = this.index.get(exampleKey(batch.users[b], batch.targets[b], row.subarray(first)));
      if (found === undefined)
        throw new Error(`teacher cache: no cached example for user ${batch.users[b]} (target ${batch.targets[b]}); is this the training split?`);
      exampleOf[b] = found;
      realOf[b] = t - first;
    }
    const out = new Float32Array(rows.length * e);
    for (let r = 0; r < rows.length; r++) {
      const b = Math.floor(rows[r] / length);
      const pos = rows[r] - b * length;
      const ex = exampleOf[b];
      const k = this.positions === "all" ? pos - (length - realOf[b]) : 0;
      const from = this.offsets[ex] + k;
      if (k < 0 || from >= this.offsets[ex + 1] || (this.positions === "last" && pos !== length - 1)) {
        throw new Error(`teacher cache: position ${pos} of example ${ex} is not cached (positions = ${this.positions})`);
      }
      out.set(this.hidden.subarray(from * e, (from + 1) * e), r * e);
    }
    return out;
  }

  /** Serialised form (see the header comment). */
  toBytes(): Uint8Array {
    const header = Buffer.from(
      JSON.stringify({
        fingerprint: this.fingerprint,
        examples: this.offsets.length - 1,
        rows: this.rows,
        embedding: this.embedding,
        positions: this.positions,
      }),
      "utf8",
    );
    // Pad the header so the arrays start 4-byte aligned.
    const headerBytes = Math.ceil(header.length / 4) * 4;
    const total = 12 + headerBytes + this.offsets.byteLength + this.hidden.byteLength;
    const out = new Uint8Array(total);
    const view = new DataView(out.buffer);
    view.setUint32(0, MAGIC, true);
    view.setUint32(4, VERSION, true);
    view.setUint32(8, headerBytes, true);
    out.fill(0x20, 12, 12 + headerBytes);
    out.set(header, 12);
    let at = 12 + headerBytes;
    out.set(new Uint8Array(this.offsets.buffer, this.offsets.byteOffset, this.offsets.byteLength), at);
    at += this.offsets.byteLength;
    out.set(new Uint8Array(this.hidden.buffer, this.hidden.byteOffset, this.hidden.byteLength), at);
    return out;
  }

  save(path: string): void {
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomic(path, this.toBytes());
  }

  /** The cache in `path` when it exists and its fingerprint matches; null otherwise. */
  static load(path: string, fingerprint: string, examples: readonly Example[], historyLength: number): TeacherCache | null {
    if (!existsSync(path)) return null;
    const bytes = readFileSync(path);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.length < 12 || view.getUint32(0, true) !== MAGIC || view.getUint32(4, true) !== VERSION) return null;
    const headerBytes = view.getUint32(8, true);
    const header = JSON.parse(bytes.subarray(12, 12 + headerBytes).toString("utf8")) as {
      fingerprint: string;
      examples: number;
      rows: number;
      embedding: number;
      positions: CachePositions;
    };
    if (header.fingerprint !== fingerprint || header.examples !== examples.length) return null;
    let at = 12 + headerBytes;
    const expected = at + (header.examples + 1) * 4 + header.rows * header.embedding * 4;
    if (bytes.length !== expected) return null;
    // Copies, so the arrays are aligned whatever the Buffer's pool offset.
    const offsets = new Int32Array(bytes.buffer.slice(bytes.byteOffset + at, bytes.byteOffset + at + (header.examples + 1) * 4));
    at += (header.examples + 1) * 4;
    const hidden = new Float32Array(bytes.buffer.slice(bytes.byteOffset + at, bytes.byteOffset + expected));
    return new TeacherCache(header.embedding, offsets, hidden, header.positions, fingerprint, examples, historyLength);
  }
}

/**
 * Runs the teacher (inference: no dropout) over every example, batch by batch. Async because each
 * batch's hidden states are read back with an awaited read: a GPU backend has no synchronous one.
 */
export async function buildTeacherCache(
  teacher: SequenceNetwork,
  examples: readonly Example[],
  positions: CachePositions,
  batchSize = 256,
): Promise<TeacherCache> {
  const t = teacher.historyLength;
  const e = embeddingOf(teacher);
  const offsets = new Int32Array(examples.length + 1);
  for (let i = 0; i < examples.length; i++) {
    const real = Math.min(examples[i].history.length, t);
    offsets[i + 1] = offsets[i] + (positions === "all" ? real : real > 0 ? 1 : 0);
  }
  const hidden = new Float32Array(offsets[examples.length] * e);
  // Sorted by history length, so a batch's trimmed length is close to each of its rows'.
  const order = Array.from({ length: examples.length }, (_, i) => i).sort(
    (a, b) => Math.min(examples[a].history.length, t) - Math.min(examples[b].history.length, t) || a - b,
  );
  for (let start = 0; start < order.length; start += batchSize) {
    const indices = order.slice(start, start + batchSize);
    const batch = makeBatch(examples, indices, t);
    const { hidden: h, length } = teacher.encode(batch.histories, batch.size, INFERENCE);
    const values = (await h.data()) as Float32Array;
    h.dispose();
    indices.forEach((ex, b) => {
      const count = offsets[ex + 1] - offsets[ex];
      // The example's rows are its last `count` positions of the trimmed batch.
      const fromPos = length - count;
      hidden.set(values.subarray((b * length + fromPos) * e, (b * length + length) * e), offsets[ex] * e);
    });
  }
  return new TeacherCache(e, offsets, hidden, positions, await teacherFingerprint(teacher, examples, positions), examples, t);
}

/**
 * The cache in `path` if it is current, else a fresh one (saved there when a path is given).
 * Gives the cache and whether it came from disk.
 */
export async function loadOrBuildTeacherCache(
  teacher: SequenceNetwork,
  examples: readonly Example[],
  positions: CachePositions,
  path: string | null,
): Promise<{ cache: TeacherCache; loaded: boolean }> {
  if (path !== null) {
    const cached = TeacherCache.load(path, await teacherFingerprint(teacher, examples, positions), examples, teacher.historyLength);
    if (cached !== null) return { cache: cached, loaded: true };
  }
  const cache = await buildTeacherCache(teacher, examples, positions);
  if (path !== null) cache.save(path);
  return { cache, loaded: false };
}

/** A hash (FNV-1a, 2 × 32 bits) of the teacher's weights (read back awaited), the examples and the layout. */
export async function teacherFingerprint(teacher: SequenceNetwork, examples: readonly Example[], positions: CachePositions): Promise<string> {
  const h = new Fnv();
  h.text(`${positions}|T=${teacher.historyLength}|E=${embeddingOf(teacher)}|N=${teacher.numItems}`);
  for (const [name, v] of teacher.params.variables()) {
    h.text(name);
    const data = (await v.data()) as Float32Array;
    h.bytes(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  const ints = new Int32Array(3);
  for (const ex of examples) {
    ints[0] = ex.user;
    ints[1] = ex.target;
    ints[2] = ex.history.length;
    h.bytes(new Uint8Array(ints.buffer));
    h.bytes(new Uint8Array(ex.history.buffer, ex.history.byteOffset, ex.history.byteLength));
  }
  return h.digest();
}

function exampleKey(user: number, target: number, items: Int32Array): string {
  return `${user}|${target}|${items.join(",")}`;
}

/** Two FNV-1a streams with different offsets: 64 bits, enough to tell caches apart. */
class Fnv {
  private a = 0x811c9dc5;
  private b = 0x01000193 ^ 0x5bd1e995;

  bytes(data: Uint8Array): void {
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < data.length; i++) {
      a = Math.imul(a ^ data[i], 0x01000193);
      b = Math.imul(b ^ data[i], 0x01000193) ^ (b >>> 15);
    }
    this.a = a;
    this.b = b;
  }

  text(s: string): void {
    this.bytes(Buffer.from(s, "utf8"));
  }

  digest(): string {
    return (this.a >>> 0).toString(16).padStart(8, "0") + (this.b >>> 0).toString(16).padStart(8, "0");
  }
}

/** Teacher hidden rows [P, E_t] as a tensor (for the distill loss). */
export function cachedHidden(cache: TeacherCache, batch: Batch, length: number, rows: Int32Array): tf.Tensor2D {
  return tf.tensor2d(cache.lookup(batch, length, rows), [rows.length, cache.embedding]);
}
