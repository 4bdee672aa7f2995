// Writes docs/reference.md from the signature tables (`--check`: exit 1 when it is stale).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { referenceDoc } from "../src/compiler/reference-doc.js";
import { writeFileAtomic } from "../src/runtime/fs/atomic-write.js";

const path = fileURLToPath(new URL("../docs/reference.md", import.meta.url));
const text = referenceDoc();
let current = "";
try {
  current = readFileSync(path, "utf8");
} catch {
  // missing: stale
}
if (process.argv.includes("--check")) {
  if (current !== text) console.error("docs/reference.md is stale: run `npm run build:docs`");
  process.exit(current === text ? 0 : 1);
}
writeFileAtomic(path, text);
console.log(`wrote ${path}`);
