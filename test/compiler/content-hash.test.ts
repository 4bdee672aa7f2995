// Content-hash stamps of generated files: stable, told apart from hand edits, in TypeScript and JSON.
import { describe, expect, it } from "vitest";
import { contentHash, fileState, stampContentHash, withoutStamp } from "../../src/compiler/codegen/content-hash.js";

const TS = "/**\n * Generated from a.recspec by recspec.\n * The model.\n */\nexport const width = 16;\n";
const JSON_TEXT = `${JSON.stringify({ irVersion: 1, spec: "a", source: "a.recspec" }, null, 2)}\n`;

describe("content hash stamps", () => {
  it("go into the banner of a TypeScript file, hashing the text without them", () => {
    const stamped = stampContentHash("model.ts", TS);
    const lines = stamped.split("\n");
    expect(lines[3]).toBe(` * recspec content hash: sha256:${contentHash(TS)} — recspec overwrites this file only while it is unedited`);
    expect(lines[4]).toBe(" */");
    expect(withoutStamp(stamped)).toBe(TS);
    expect(stampContentHash("model.ts", stamped)).toBe(stamped);
    expect(fileState(stamped)).toBe("unedited");
  });

  it("become a first line comment where there is no banner", () => {
    const stamped = stampContentHash("x.ts", "export const a = 1;\n");
    expect(stamped).toMatch(/^\/\/ recspec content hash: sha256:[0-9a-f]{16} /);
    expect(fileState(stamped)).toBe("unedited");
  });

  it("become the first key of a JSON file, which stays valid JSON", () => {
    const stamped = stampContentHash("ir.json", JSON_TEXT);
    expect(JSON.parse(stamped)).toEqual({ contentHash: `sha256:${contentHash(JSON_TEXT)}`, irVersion: 1, spec: "a", source: "a.recspec" });
    expect(withoutStamp(stamped)).toBe(JSON_TEXT);
    expect(fileState(stamped)).toBe("unedited");
    expect(fileState(stamped.replace('"spec": "a"', '"spec": "b"'))).toBe("edited");
  });

  it("tell an edit anywhere, a forged or missing stamp, and a file recspec never wrote", () => {
    const stamped = stampContentHash("model.ts", TS);
    expect(fileState(stamped.replace("16", "48"))).toBe("edited");
    expect(fileState(`${stamped}// note\n`)).toBe("edited");
    expect(fileState(stamped.replace(/sha256:[0-9a-f]{16}/, "sha256:0123456789abcdef"))).toBe("edited");
    // A recspec banner without a stamp: written before stamps, so whether it was edited is unknown.
    expect(fileState(TS)).toBe("edited");
    expect(fileState(JSON_TEXT)).toBe("edited");
    expect(fileState("export const mine = 1;\n")).toBe("foreign");
  });
});
