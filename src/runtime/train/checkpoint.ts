// Checkpoints on disk, in the tfjs weights format so a browser can load the model weights.
// Takes named tensors (model weights, plus named groups such as optimizer state) and a JSON
// training state; gives a directory `ckpt-<step>` holding
//   model.json            {format, generatedBy, weightsManifest: [{paths: ["weights.bin"], weights}]}
//   weights.bin           the model weights, concatenated little-endian, in manifest order
//   <group>.bin           one per tensor group (e.g. optimizer.bin), same encoding
//   training-state.json   {version, state, groups: {<group>: manifest entry}}
//   complete.json         sizes and SHA-256 of every file above, written last
// Writes are atomic: everything goes into `ckpt-<step>.tmp`, each file and the directory are
// fsynced, then the directory is renamed. Only the newest `keep` complete checkpoints are kept.
// A save that fails (a full disk) removes its temp directory and reports a full or read-only disk
// as a RunError (RS6033). On resume, latestUsableCheckpoint verifies checksums newest first and sets
// a corrupt checkpoint aside (`ckpt-<step>.corrupt`) so training continues from the older one.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { diskError } from "../fs/disk-error.js";

export type WeightDtype = "float32" | "int32" | "bool";

/** One tensor's entry in a tfjs weights manifest. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: WeightDtype;
}

/** A tfjs weights-manifest group: the files holding the bytes, and what they hold. */
export interface WeightsManifestEntry {
  paths: string[];
  weights: WeightSpec[];
}

export interface CheckpointData {
  /** Model weights (saved to model.json + weights.bin). */
  weights: Map<string, tf.Tensor>;
  /** Further named tensor groups, each saved to `<group>.bin` (names: letters, digits, - and _). */
  groups?: Record<string, Map<string, tf.Tensor>>;
  /** Anything JSON-serialisable the training loop needs to continue. */
  state: Record<string, unknown>;
}

export interface SaveCheckpointOptions {
  /** How many complete checkpoints to keep, newest first (default 2). */
  keep?: number;
}

export const MODEL_FILE = "model.json";
export const WEIGHTS_FILE = "weights.bin";
export const STATE_FILE = "training-state.json";
export const COMPLETE_FILE = "complete.json";
const FORMAT = "recspec-weights";
const GENERATED_BY = "recspec runtime";
const CHECKPOINT_DIR = /^ckpt-(\d+)$/;

/** Concatenates tensors into one little-endian buffer and describes them in manifest order. */
export async function encodeWeights(tensors: Map<string, tf.Tensor>): Promise<{ specs: WeightSpec[]; data: Buffer }> {
  if (os.endianness() !== "LE") throw new Error("checkpoints: big-endian hosts are not supported");
  const specs: WeightSpec[] = [];
  const chunks: Buffer[] = [];
  for (const [name, t] of tensors) {
    const dtype = t.dtype;
    if (dtype !== "float32" && dtype !== "int32" && dtype !== "bool") {
      throw new Error(`checkpoints: tensor "${name}" has dtype ${dtype}; only float32, int32 and bool are saved`);
    }
  }
  // Awaited reads (a GPU backend has none synchronous), all requested before the first is awaited.
  const all = await Promise.all([...tensors.values()].map((t) => t.data()));
  let index = 0;
  for (const [name, t] of tensors) {
    const dtype = t.dtype as "float32" | "int32" | "bool";
    const read = all[index++];
    // bool reads back as one number per entry; its file format is one byte each.
    const values = (dtype === "bool" && !(read instanceof Uint8Array) ? Uint8Array.from(read as ArrayLike<number>) : read) as
      Float32Array | Int32Array | Uint8Array;
    // Copy: the typed array may be a view on memory the backend reuses.
    chunks.push(Buffer.from(new Uint8Array(values.buffer, values.byteOffset, values.byteLength)));
    specs.push({ name, shape: [...t.shape], dtype });
  }
  return { specs, data: Buffer.concat(chunks) };
}

/** Inverse of encodeWeights: fresh tensors (the caller owns them) with the exact saved bits. */
export function decodeWeights(specs: WeightSpec[], data: Uint8Array): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  let offset = 0;
  for (const spec of specs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const bytes = spec.dtype === "bool" ? size : size * 4;
    if (offset + bytes > data.byteLength) {
      throw new Error(`checkpoints: weight data ends before "${spec.name}" (need ${offset + bytes} bytes, have ${data.byteLength})`);
    }
    // slice() copies into a fresh, aligned ArrayBuffer (Node's pooled Buffers are not aligned).
    const buffer = data.buffer.slice(data.byteOffset + offset, data.byteOffset + offset + bytes) as ArrayBuffer;
    const values = spec.dtype === "float32" ? new Float32Array(buffer) : spec.dtype === "int32" ? new Int32Array(buffer) : new Uint8Array(buffer);
    out.set(spec.name, tf.tensor(values, spec.shape, spec.dtype));
    offset += bytes;
  }
  if (offset !== data.byteLength) {
    throw new Error(`checkpoints: ${data.byteLength - offset} bytes of weight data left over after the manifest`);
  }
  return out;
}

/**
 * Saves `data` as `<runDir>/ckpt-<step>` atomically and prunes old checkpoints.
 * Returns the checkpoint's path. Replaces an existing checkpoint of the same step.
 */
export async function saveCheckpoint(runDir: string, step: number, data: CheckpointData, options: SaveCheckpointOptions = {}): Promise<string> {
  const keep = options.keep ?? 2;
  if (!(Number.isInteger(step) && step >= 0)) throw new Error(`saveCheckpoint: step must be an integer >= 0, got ${step}`);
  if (!(Number.isInteger(keep) && keep >= 1)) throw new Error(`saveCheckpoint: keep must be an integer >= 1, got ${keep}`);
  const finalDir = path.join(runDir, `ckpt-${step}`);
  const tmpDir = `${finalDir}.tmp`;
  try {
    writeCheckpointDir(runDir, tmpDir, finalDir, step, data, await encodeCheckpoint(data));
  } catch (error) {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    throw diskError(error, finalDir);
  }

  const complete = listCheckpoints(runDir);
  for (const old of complete.slice(0, Math.max(0, complete.length - keep))) {
    fs.rmSync(old.path, { recursive: true, force: true });
  }
  return finalDir;
}

interface EncodedCheckpoint {
  model: { specs: WeightSpec[]; data: Buffer };
  groups: Map<string, { specs: WeightSpec[]; data: Buffer }>;
}

/** Reads every tensor of a checkpoint back to the host (the only asynchronous part of saving). */
async function encodeCheckpoint(data: CheckpointData): Promise<EncodedCheckpoint> {
  const groups = new Map<string, { specs: WeightSpec[]; data: Buffer }>();
  for (const [group, tensors] of Object.entries(data.groups ?? {})) groups.set(group, await encodeWeights(tensors));
  return { model: await encodeWeights(data.weights), groups };
}

/** Writes the checkpoint into tmpDir, then moves it to finalDir (replacing one of the same step). */
function writeCheckpointDir(runDir: string, tmpDir: string, finalDir: string, step: number, data: CheckpointData, encodedData: EncodedCheckpoint): void {
  fs.mkdirSync(runDir, { recursive: true });
  fs.rmSync(tmpDir, { recursive: true, force: true });
  fs.mkdirSync(tmpDir);

  const files: Record<string, Buffer> = {};
  const model = encodedData.model;
  files[WEIGHTS_FILE] = model.data;
  files[MODEL_FILE] = json(modelJson(model.specs));
  const groups: Record<string, WeightsManifestEntry> = {};
  for (const group of Object.keys(data.groups ?? {})) {
    if (!/^[A-Za-z0-9_-]+$/.test(group) || group === "weights" || group === "complete") {
      throw new Error(`saveCheckpoint: bad tensor group name "${group}"`);
    }
    const encoded = encodedData.groups.get(group) as { specs: WeightSpec[]; data: Buffer };
    files[`${group}.bin`] = encoded.data;
    groups[group] = { paths: [`${group}.bin`], weights: encoded.specs };
  }
  files[STATE_FILE] = json({ version: 1, state: data.state, groups });

  const manifest: Record<string, { bytes: number; sha256: string }> = {};
  for (const [name, bytes] of Object.entries(files)) {
    writeDurably(path.join(tmpDir, name), bytes);
    manifest[name] = { bytes: bytes.byteLength, sha256: sha256(bytes) };
  }
  // The marker goes last: a directory without it (or with a file that disagrees) is incomplete.
  writeDurably(path.join(tmpDir, COMPLETE_FILE), json({ step, files: manifest }));
  fsyncDir(tmpDir);

  if (fs.existsSync(finalDir)) {
    // rename() cannot replace a non-empty directory; move the old one aside under a name
    // latestCheckpoint ignores, then drop it.
    const aside = `${finalDir}.replaced.tmp`;
    fs.rmSync(aside, { recursive: true, force: true });
    fs.renameSync(finalDir, aside);
    fs.renameSync(tmpDir, finalDir);
    fs.rmSync(aside, { recursive: true, force: true });
  } else {
    fs.renameSync(tmpDir, finalDir);
  }
  fsyncDir(runDir);
}

/** Reads a checkpoint directory back, verifying every file's checksum. Tensors are the caller's. */
export function loadCheckpoint(dir: string): CheckpointData & { step: number } {
  const marker = readMarker(dir);
  if (marker === null) throw new Error(`checkpoint ${dir} is incomplete (no valid ${COMPLETE_FILE})`);
  const read = (name: string): Buffer => {
    const expected = marker.files[name];
    if (expected === undefined) throw new Error(`checkpoint ${dir} does not list ${name}`);
    const bytes = fs.readFileSync(path.join(dir, name));
    if (bytes.byteLength !== expected.bytes || sha256(bytes) !== expected.sha256) {
      throw new Error(`checkpoint ${dir} is corrupt: ${name} does not match its checksum`);
    }
    return bytes;
  };
  const model = JSON.parse(read(MODEL_FILE).toString("utf8")) as { weightsManifest: WeightsManifestEntry[] };
  const weights = readManifest(model.weightsManifest, read);
  const stateFile = JSON.parse(read(STATE_FILE).toString("utf8")) as {
    state: Record<string, unknown>;
    groups: Record<string, WeightsManifestEntry>;
  };
  const groups: Record<string, Map<string, tf.Tensor>> = {};
  for (const [group, entry] of Object.entries(stateFile.groups)) groups[group] = readManifest([entry], read);
  return { step: marker.step, weights, groups, state: stateFile.state };
}

/** Complete checkpoints under runDir, oldest first. */
export function listCheckpoints(runDir: string): { step: number; path: string }[] {
  let names: string[];
  try {
    names = fs.readdirSync(runDir);
  } catch {
    return [];
  }
  const out: { step: number; path: string }[] = [];
  for (const name of names) {
    const match = CHECKPOINT_DIR.exec(name);
    if (match === null) continue;
    const dir = path.join(runDir, name);
    if (isComplete(dir)) out.push({ step: Number(match[1]), path: dir });
  }
  return out.sort((a, b) => a.step - b.step);
}

/**
 * The newest complete checkpoint under runDir, or null. Skips `*.tmp` directories and any
 * checkpoint whose marker is missing or whose files are missing or of the wrong size.
 * (Checksums are verified on load, not here, so finding the latest stays cheap.)
 */
export function latestCheckpoint(runDir: string): string | null {
  const all = listCheckpoints(runDir);
  return all.length === 0 ? null : all[all.length - 1].path;
}

/** Why a complete-looking checkpoint cannot be used (a file that fails its checksum), or null when it can. */
export function checkpointProblem(dir: string): string | null {
  const marker = readMarker(dir);
  if (marker === null) return `no valid ${COMPLETE_FILE}`;
  for (const [name, expected] of Object.entries(marker.files)) {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(path.join(dir, name));
    } catch {
      return `${name} is missing`;
    }
    if (bytes.byteLength !== expected.bytes) return `${name} has ${bytes.byteLength} bytes, not ${expected.bytes}`;
    if (sha256(bytes) !== expected.sha256) return `${name} does not match its checksum`;
  }
  return null;
}

/**
 * The newest checkpoint under runDir whose every file matches its checksum, or null. A newer one
 * that does not is renamed `ckpt-<step>.corrupt` (kept for inspection, never taken again) and
 * reported through `onCorrupt`, so resuming falls back to the older checkpoint instead of failing.
 */
export function latestUsableCheckpoint(runDir: string, onCorrupt?: (dir: string, reason: string) => void): string | null {
  const all = listCheckpoints(runDir);
  for (let i = all.length - 1; i >= 0; i--) {
    const reason = checkpointProblem(all[i].path);
    if (reason === null) return all[i].path;
    const aside = `${all[i].path}.corrupt`;
    fs.rmSync(aside, { recursive: true, force: true });
    fs.renameSync(all[i].path, aside);
    onCorrupt?.(all[i].path, reason);
  }
  return null;
}

/**
 * Writes just the model weights as a tfjs weights directory (model.json + weights.bin),
 * atomically (temp directory, fsync, rename), replacing what was there.
 */
export async function saveWeights(dir: string, weights: Map<string, tf.Tensor>): Promise<void> {
  const parent = path.dirname(path.resolve(dir));
  const tmpDir = `${dir}.tmp`;
  try {
    const encoded = await encodeWeights(weights);
    fs.mkdirSync(parent, { recursive: true });
    fs.rmSync(tmpDir, { recursive: true, force: true });
    fs.mkdirSync(tmpDir);
    writeDurably(path.join(tmpDir, WEIGHTS_FILE), encoded.data);
    writeDurably(path.join(tmpDir, MODEL_FILE), json(modelJson(encoded.specs)));
    fsyncDir(tmpDir);
  } catch (error) {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    throw diskError(error, dir);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmpDir, dir);
  fsyncDir(parent);
}

/** Reads a weights directory written by saveWeights (or a checkpoint's model weights). */
export function loadWeights(dir: string): Map<string, tf.Tensor> {
  const model = JSON.parse(fs.readFileSync(path.join(dir, MODEL_FILE), "utf8")) as { weightsManifest: WeightsManifestEntry[] };
  return readManifest(model.weightsManifest, (name) => fs.readFileSync(path.join(dir, name)));
}

function modelJson(specs: WeightSpec[]): object {
  return { format: FORMAT, generatedBy: GENERATED_BY, convertedBy: null, weightsManifest: [{ paths: [WEIGHTS_FILE], weights: specs }] };
}

function readManifest(manifest: WeightsManifestEntry[], read: (name: string) => Buffer): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const entry of manifest) {
    const data = Buffer.concat(entry.paths.map(read));
    for (const [name, t] of decodeWeights(entry.weights, data)) out.set(name, t);
  }
  return out;
}

interface Marker {
  step: number;
  files: Record<string, { bytes: number; sha256: string }>;
}

function readMarker(dir: string): Marker | null {
  try {
    const marker = JSON.parse(fs.readFileSync(path.join(dir, COMPLETE_FILE), "utf8")) as Marker;
    if (typeof marker.step !== "number" || typeof marker.files !== "object" || marker.files === null) return null;
    return marker;
  } catch {
    return null;
  }
}

function isComplete(dir: string): boolean {
  const marker = readMarker(dir);
  if (marker === null) return false;
  for (const required of [MODEL_FILE, WEIGHTS_FILE, STATE_FILE]) if (!(required in marker.files)) return false;
  for (const [name, { bytes }] of Object.entries(marker.files)) {
    try {
      if (fs.statSync(path.join(dir, name)).size !== bytes) return false;
    } catch {
      return false;
    }
  }
  return true;
}

function writeDurably(file: string, bytes: Uint8Array): void {
  const fd = fs.openSync(file, "w");
  try {
    let written = 0;
    while (written < bytes.byteLength) written += fs.writeSync(fd, bytes, written, bytes.byteLength - written);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** fsync a directory so a rename or new entry in it survives a crash (not possible on Windows). */
function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "EISDIR" && code !== "EPERM" && code !== "EINVAL" && code !== "EBADF") throw e;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function json(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 1)}\n`, "utf8");
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
