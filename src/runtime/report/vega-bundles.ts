// The browser builds of vega, vega-lite and vega-embed, read as text for inlining into reports.
// Takes nothing; gives the three minified bundles (read once per process, then cached).
//
// The packages' `exports` maps hide build/*.min.js, so the files cannot be resolved by subpath.
// Instead each package's entry point is resolved from this file (createRequire(import.meta.url)),
// which finds the copy recspec itself depends on both in this checkout and when recspec is
// installed under someone's node_modules, and the package root is found by walking up from it.
import { readFile } from "node:fs/promises";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";

export interface VegaBundles {
  vega: string;
  vegaLite: string;
  vegaEmbed: string;
}

const BUNDLES: Record<keyof VegaBundles, [pkg: string, file: string]> = {
  vega: ["vega", "build/vega.min.js"],
  vegaLite: ["vega-lite", "build/vega-lite.min.js"],
  vegaEmbed: ["vega-embed", "build/vega-embed.min.js"],
};

let cached: Promise<VegaBundles> | null = null;

export function loadVegaBundles(): Promise<VegaBundles> {
  if (cached === null) {
    cached = readAll();
    // A failed read (package missing) should not be remembered: a later call may succeed.
    cached.catch(() => (cached = null));
  }
  return cached;
}

/** Absolute path of a package's minified browser bundle. */
export function vegaBundlePath(name: keyof VegaBundles): string {
  const [pkg, file] = BUNDLES[name];
  return path.join(packageRoot(pkg), file);
}

async function readAll(): Promise<VegaBundles> {
  const [vega, vegaLite, vegaEmbed] = await Promise.all((["vega", "vegaLite", "vegaEmbed"] as const).map((name) => readFile(vegaBundlePath(name), "utf8")));
  return { vega, vegaLite, vegaEmbed };
}

function packageRoot(pkg: string): string {
  const entry = createRequire(import.meta.url).resolve(pkg);
  for (let dir = path.dirname(entry); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === pkg) {
      return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`cannot find the package root of ${pkg} above ${entry}`);
  }
}
