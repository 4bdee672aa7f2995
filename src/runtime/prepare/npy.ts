// NumPy's .npy format, version 1.0, for the arrays `recspec prepare` hands to other targets. Takes a
// typed array and its shape; gives the file's bytes (and reads such bytes back, for tests and for
// results a Python program writes). Little-endian, C order; the header is padded with spaces so the
// data starts at a multiple of 64 bytes, as numpy writes it (numpy.lib.format).

/** The typed arrays written, each with its numpy dtype descriptor. */
export type NpyArray = Int32Array | Float32Array | Float64Array | Uint8Array;

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const ALIGN = 64;

function descriptor(data: NpyArray): string {
  if (data instanceof Int32Array) return "<i4";
  if (data instanceof Float32Array) return "<f4";
  if (data instanceof Float64Array) return "<f8";
  return "|u1";
}

/** `(3,)` for one dimension, `(2, 3)` for two, `()` for a scalar: Python's tuple syntax. */
function shapeTuple(shape: readonly number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(", ")})`;
}

/** The .npy bytes of `data` viewed as `shape` (row-major). */
export function encodeNpy(data: NpyArray, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (shape.some((d) => !Number.isInteger(d) || d < 0) || count !== data.length) {
    throw new Error(`npy: shape [${shape.join(", ")}] does not hold ${data.length} values`);
  }
  let header = `{'descr': '${descriptor(data)}', 'fortran_order': False, 'shape': ${shapeTuple(shape)}, }`;
  // 10 bytes of magic, version and length precede the header, which ends in a newline.
  const padding = (ALIGN - ((10 + header.length + 1) % ALIGN)) % ALIGN;
  header = `${header}${" ".repeat(padding)}\n`;
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  // Typed arrays are in the platform's byte order; every platform Node runs on is little-endian.
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}

export interface DecodedNpy {
  readonly data: NpyArray;
  readonly shape: number[];
}

/** Reads .npy bytes of version 1.0 or 2.0 in C order with dtype int32, float32, float64 or uint8. */
export function decodeNpy(bytes: Uint8Array): DecodedNpy {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new Error("npy: not a .npy file");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const lengthBytes = major === 1 ? 2 : 4;
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lengthBytes;
  const header = new TextDecoder("latin1").decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw new Error(`npy: unreadable header ${header}`);
  if (fortran === "True") throw new Error("npy: Fortran-order arrays are not read");
  const shape = shapeText
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  // Copied out (a Buffer's slice is a view into a shared pool), so the data starts its own
  // buffer, aligned for its element size whatever the header length.
  const body = new Uint8Array(bytes.subarray(start + headerLength));
  const data = typed(descr, body.buffer, count);
  return { data, shape };
}

function typed(descr: string, buffer: ArrayBufferLike, count: number): NpyArray {
  switch (descr) {
    case "<i4":
      return new Int32Array(buffer, 0, count);
    case "<f4":
      return new Float32Array(buffer, 0, count);
    case "<f8":
      return new Float64Array(buffer, 0, count);
    case "|u1":
    case "<u1":
      return new Uint8Array(buffer, 0, count);
    default:
      throw new Error(`npy: dtype ${descr} is not read (int32, float32, float64, uint8)`);
  }
}
