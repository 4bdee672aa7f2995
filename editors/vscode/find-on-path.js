// @ts-check
// Whether the server command can be run at all, checked before the client tries: a missing
// `recspec` then gets one message that says what to install or set, instead of the client's generic
// "couldn't create connection". Pure: PATH, PATHEXT, the platform and a file probe come in.
"use strict";

const path = require("node:path");

/**
 * @typedef {object} PathProbe
 * @property {string} pathEnv the `PATH` variable.
 * @property {string | undefined} pathExt Windows' `PATHEXT`: the extensions a bare name may take.
 * @property {string} platform `process.platform`.
 * @property {(file: string) => boolean} isFile whether a regular file is there.
 */

/**
 * Where `command` would be found: itself when it has a directory, else the first PATH entry that
 * holds it (on Windows with one of PATHEXT's extensions, as the shell looks). Undefined if nowhere.
 * @param {string} command
 * @param {PathProbe} probe
 * @returns {string | undefined}
 */
function findOnPath(command, probe) {
  const api = probe.platform === "win32" ? path.win32 : path.posix;
  // A command quoted for a Windows shell (a path with spaces) is looked up without its quotes.
  const bare = command.replace(/^"(.*)"$/, "$1");
  const extensions = probe.platform === "win32" ? ["", ...(probe.pathExt ?? ".COM;.EXE;.BAT;.CMD").split(";").filter(Boolean)] : [""];
  const withExtensions = (/** @type {string} */ file) => extensions.map((ext) => file + ext).find((f) => probe.isFile(f));
  if (/[\\/]/.test(bare)) return withExtensions(bare);
  for (const dir of probe.pathEnv.split(api.delimiter)) {
    if (dir === "") continue;
    const found = withExtensions(api.join(dir, bare));
    if (found) return found;
  }
  return undefined;
}

/**
 * What is missing to run the server, in words; empty when everything is there. A `.js` entry point
 * run under `node` needs both `node` and the script.
 * @param {{ command: string, args: string[] }} server
 * @param {PathProbe} probe
 * @returns {string[]}
 */
function missingForServer(server, probe) {
  /** @type {string[]} */
  const missing = [];
  if (findOnPath(server.command, probe) === undefined) missing.push(/[\\/]/.test(server.command) ? `no file ${server.command}` : `\`${server.command}\` is not on PATH`);
  const script = server.command === "node" ? server.args[0] : undefined;
  if (script !== undefined && !probe.isFile(script)) missing.push(`no file ${script}`);
  return missing;
}

module.exports = { findOnPath, missingForServer };
