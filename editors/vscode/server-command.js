// @ts-check
// Decides how the extension starts the recspec language server, with no VS Code API in sight so
// Node can test it. Takes the settings, the workspace folders and a file-exists probe; gives the
// command, its arguments, whether it needs a shell, and where the command came from.
"use strict";

const path = require("node:path");

/** The arguments that make the CLI a language server on stdio. */
const DEFAULT_ARGS = ["lsp"];

/**
 * @typedef {object} ServerCommandInput
 * @property {string | undefined} configuredPath `recspec.server.path`; empty means "find it".
 * @property {readonly string[] | undefined} configuredArgs `recspec.server.args`; unset means `["lsp"]`.
 * @property {readonly string[]} workspaceFolders absolute paths of the open workspace folders.
 * @property {boolean} workspaceTrusted an untrusted workspace's own binaries are never run.
 * @property {(file: string) => boolean} exists whether a file is there.
 * @property {string} platform `process.platform`.
 */

/**
 * @typedef {object} ServerCommand
 * @property {string} command what to spawn.
 * @property {string[]} args its arguments.
 * @property {boolean} shell Windows runs `.cmd`/`.bat` shims only through a shell.
 * @property {"setting" | "workspace" | "path"} source where the command came from, for messages.
 */

/**
 * The server command: the setting when there is one, else the first workspace folder's
 * `node_modules/.bin/recspec` (the project's own pinned recspec) if the workspace is trusted,
 * else `recspec` on PATH.
 * @param {ServerCommandInput} input
 * @returns {ServerCommand}
 */
function resolveServerCommand(input) {
  const pathApi = input.platform === "win32" ? path.win32 : path.posix;
  const args = input.configuredArgs ? [...input.configuredArgs] : [...DEFAULT_ARGS];
  const folder = input.workspaceFolders[0];
  const configured = (input.configuredPath ?? "").trim();

  if (configured !== "") {
    let command = folder === undefined ? configured : configured.replaceAll("${workspaceFolder}", folder);
    // A relative path with a directory in it is the workspace's; a bare name is looked up on PATH.
    const hasDirectory = /[\\/]/.test(command);
    if (hasDirectory && !pathApi.isAbsolute(command) && folder !== undefined) command = pathApi.resolve(folder, command);
    return withRunner(command, args, "setting", input.platform);
  }

  const binName = input.platform === "win32" ? "recspec.cmd" : "recspec";
  for (const dir of input.workspaceTrusted ? input.workspaceFolders : []) {
    const local = pathApi.join(dir, "node_modules", ".bin", binName);
    if (input.exists(local)) return withRunner(local, args, "workspace", input.platform);
  }
  return withRunner(binName, args, "path", input.platform);
}

/**
 * A `.js` entry point (`bin/recspec.js` in a checkout) runs under `node`; a Windows shim needs a shell.
 * @param {string} command
 * @param {string[]} args
 * @param {ServerCommand["source"]} source
 * @param {string} platform
 * @returns {ServerCommand}
 */
function withRunner(command, args, source, platform) {
  if (/\.[cm]?js$/i.test(command)) return { command: "node", args: [command, ...args], shell: false, source };
  const shell = platform === "win32" && /\.(cmd|bat)$/i.test(command);
  // Through a shell the command line is joined with spaces, so a path with spaces needs quotes.
  return { command: shell && /\s/.test(command) ? `"${command}"` : command, args, shell, source };
}

/**
 * The command line as a person would type it, for the output channel and error messages.
 * @param {ServerCommand} server
 * @returns {string}
 */
function describeServerCommand(server) {
  return [server.command, ...server.args].map((part) => (/[\s"']/.test(part) ? JSON.stringify(part) : part)).join(" ");
}

module.exports = { DEFAULT_ARGS, resolveServerCommand, describeServerCommand };
