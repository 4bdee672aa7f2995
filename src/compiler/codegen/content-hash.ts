// Content hashes of generated files: takes a formatted file (name and text) and gives it back
// stamped with the sha256 of its own content; takes a file read from disk and tells whether it is
// unedited since recspec wrote it, edited by hand, or not a file recspec wrote. `recspec run` and
// `recspec compile` overwrite only unedited files, so an ejected program's edits are never lost.
//
// The stamp is one line — the last line of a TypeScript file's banner comment (or a `//` line at the
// top when there is no banner), the first key of a JSON file — and the hash is taken over the text
// without that line, so stamping a stamped text again gives the same text.
import { createHash } from "node:crypto";

export type FileState = "unedited" | "edited" | "foreign";

const HEX = 16;
const TS_STAMP = (hash: string) => `recspec content hash: sha256:${hash} — recspec overwrites this file only while it is unedited`;
// A stamp line in either form; its first group is the hash.
const STAMP_LINE = /^(?: \*|\/\/) recspec content hash: sha256:([0-9a-f]{16})\b.*\n|^ {2}"contentHash": "sha256:([0-9a-f]{16})",\n/m;
// Files recspec wrote before stamps existed: their banner, or the IR's first key.
const UNSTAMPED_RECSPEC = /^\/\*\*\n \* Generated from .* by recspec\b|^\{\n {2}"irVersion": /;

export function contentHash(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex").slice(0, HEX);
}

/** The text without its stamp line (unchanged when it has none). */
export function withoutStamp(text: string): string {
  return text.replace(STAMP_LINE, "");
}

/** `text` with a stamp line holding the hash of the text without one. */
export function stampContentHash(name: string, text: string): string {
  const bare = withoutStamp(text);
  const hash = contentHash(bare);
  if (name.endsWith(".json")) {
    // Generated JSON is an object printed with two-space indents: the stamp is its first key.
    if (!bare.startsWith("{\n")) throw new Error(`cannot stamp ${name}: not a JSON object`);
    return `{\n  "contentHash": "sha256:${hash}",\n${bare.slice(2)}`;
  }
  // The banner is the leading `/** … */`: the stamp becomes its last line.
  const end = bare.startsWith("/**\n") ? bare.indexOf("\n */\n") : -1;
  if (end >= 0) return `${bare.slice(0, end)}\n * ${TS_STAMP(hash)}${bare.slice(end)}`;
  return `// ${TS_STAMP(hash)}\n${bare}`;
}

/** Whether a file on disk is as recspec wrote it, edited since, or not recspec's at all. */
export function fileState(text: string): FileState {
  const match = STAMP_LINE.exec(text);
  if (!match) return UNSTAMPED_RECSPEC.test(text) ? "edited" : "foreign";
  return contentHash(withoutStamp(text)) === (match[1] ?? match[2]) ? "unedited" : "edited";
}
