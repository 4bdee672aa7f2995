// Writes an export folder in one step: every file goes into a fresh folder beside the target,
// which is then renamed into place, so the folder a page serves is never half-written. An existing
// target is replaced only when the caller allows it (the CLI's --force). Takes the manifest, the
// weights and the target; gives nothing. The inference module and demo page are this folder's
// assets/; the TensorFlow.js browser bundles are copied from the installed packages.
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { diskError } from "../fs/disk-error.js";
import type { ExportManifest } from "./export-manifest.js";
import { exportReadme } from "./export-readme.js";

const ASSETS = fileURLToPath(new URL("./assets/", import.meta.url));

/** The browser bundles a page needs, by the name they get in the export. */
function browserBundles(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const dist = (pkg: string) => join(dirname(require.resolve(`${pkg}/package.json`)), "dist");
  return {
    "tf-core.min.js": join(dist("@tensorflow/tfjs-core"), "tf-core.min.js"),
    "tf-backend-cpu.min.js": join(dist("@tensorflow/tfjs-backend-cpu"), "tf-backend-cpu.min.js"),
  };
}

/** Whether `dir` exists and holds anything (what --force must allow replacing). */
export function nonEmptyFolder(dir: string): boolean {
  try {
    return readdirSync(dir).length > 0;
  } catch {
    return existsSync(dir);
  }
}

export function writeExport(target: string, manifest: ExportManifest, weights: Uint8Array): void {
  const dir = resolve(target);
  let temp: string;
  try {
    mkdirSync(dirname(dir), { recursive: true });
    temp = mkdtempSync(join(dirname(dir), `.${basename(dir)}.export-`));
  } catch (error) {
    throw diskError(error, dir);
  }
  try {
    // mkdtemp makes a private folder; a web server running as another user must be able to read it.
    chmodSync(temp, 0o755 & ~process.umask());
    writeFileAtomic(join(temp, "weights.bin"), weights);
    writeFileAtomic(join(temp, "model.json"), `${JSON.stringify(manifest)}\n`);
    writeFileAtomic(join(temp, "README.md"), exportReadme(manifest));
    for (const asset of ["recommend.js", "index.html"]) copyFileSync(join(ASSETS, asset), join(temp, asset));
    for (const [name, from] of Object.entries(browserBundles())) copyFileSync(from, join(temp, name));
    // Replace: the old folder steps aside first, so a failure between the renames loses nothing.
    const old = existsSync(dir) ? `${temp}.old` : null;
    if (old !== null) renameSync(dir, old);
    try {
      renameSync(temp, dir);
    } catch (error) {
      if (old !== null) renameSync(old, dir);
      throw error;
    }
    if (old !== null) rmSync(old, { recursive: true, force: true });
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw diskError(error, dir);
  }
}
