#!/usr/bin/env node
// Builds the optional OpenBLAS matmul addon (native/) with node-gyp. Takes nothing (env:
// RECSPEC_NO_NATIVE=1 skips, CC picks the compiler); gives native/build/Release/recspec_blas.node
// when this machine can build it, and otherwise one line saying why not.
//
// It ALWAYS exits 0: the addon only makes training faster (src/runtime/backend/native-blas.ts loads
// it when present and falls back to the wasm kernels otherwise), so a missing compiler or library
// must never fail `npm install`. Checks run cheapest first so the reason printed is the real one.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const nativeDir = path.join(root, "native");
const output = path.join(nativeDir, "build", "Release", "recspec_blas.node");

function skip(reason) {
  console.log(`recspec: native OpenBLAS matmul not built (${reason}); training uses the wasm kernels.`);
  process.exit(0);
}

function run(command, args, options = {}) {
  return spawnSync(command, args, { encoding: "utf8", timeout: 300_000, ...options });
}

/** Last few lines of a failed command's output, to show with the reason. */
function tail(result) {
  const text = `${result.stdout ?? ""}${result.stderr ?? ""}${result.error ? String(result.error) : ""}`.trim();
  return text.split("\n").slice(-6).join("\n    ");
}

/** node-gyp: the one npm runs install scripts with, else the copy bundled with npm, else a local one. */
function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(path.dirname(process.execPath), "..", "lib", "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js"),
  ];
  try {
    candidates.push(createRequire(import.meta.url).resolve("node-gyp/bin/node-gyp.js"));
  } catch {
    // not installed locally: fine, the others are tried
  }
  return candidates.find((p) => p !== undefined && p !== "" && existsSync(p));
}

/** The install prefix whose include/node has this Node's headers, so node-gyp needs no download. */
function findNodeDir() {
  const prefix = path.resolve(path.dirname(process.execPath), "..");
  return existsSync(path.join(prefix, "include", "node", "node_api.h")) ? prefix : undefined;
}

function main() {
  if (process.env.RECSPEC_NO_NATIVE === "1") skip("RECSPEC_NO_NATIVE=1");
  if (process.platform === "win32") skip("Windows is not supported by this build script");
  const cc = process.env.CC || "cc";
  if (run(cc, ["--version"]).status !== 0) skip(`no C compiler ('${cc}' not found)`);

  // Probe: cblas.h found and OpenBLAS's own entry points link (the addon reports its core name).
  const probeDir = mkdtempSync(path.join(tmpdir(), "recspec-blas-probe-"));
  try {
    const source = path.join(probeDir, "probe.c");
    writeFileSync(source, "#include <cblas.h>\nint main(void) { return openblas_get_num_threads() < 0; }\n");
    const probe = run(cc, [source, "-o", path.join(probeDir, "probe"), "-lopenblas"]);
    if (probe.status !== 0) {
      const text = tail(probe);
      if (/cblas\.h/.test(text)) skip("cblas.h not found; install libopenblas-dev");
      skip(`cannot link -lopenblas; install libopenblas-dev\n    ${text}`);
    }
  } finally {
    rmSync(probeDir, { recursive: true, force: true });
  }

  const nodeGyp = findNodeGyp();
  if (nodeGyp === undefined) skip("node-gyp not found (it ships with npm)");
  const nodeDir = findNodeDir();
  const args = [nodeGyp, "rebuild", `--directory=${nativeDir}`];
  if (nodeDir !== undefined) args.push(`--nodedir=${nodeDir}`);
  console.log("recspec: building the native OpenBLAS matmul addon ...");
  const build = run(process.execPath, args, { cwd: nativeDir });
  if (build.status !== 0 || !existsSync(output)) skip(`node-gyp build failed\n    ${tail(build)}`);

  // Load it in a child process: a library that links but fails to load should be reported now.
  const check = run(process.execPath, ["-e", `const a = require(${JSON.stringify(output)}); console.log(a.info().corename)`]);
  if (check.status !== 0) {
    rmSync(output, { force: true });
    skip(`built, but it does not load\n    ${tail(check)}`);
  }
  console.log(`recspec: built ${path.relative(root, output)} (OpenBLAS core ${check.stdout.trim()})`);
}

try {
  main();
} catch (error) {
  skip(`unexpected error: ${error instanceof Error ? error.message : String(error)}`);
}
