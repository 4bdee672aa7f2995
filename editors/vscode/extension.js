// @ts-check
// The VS Code side of recspec: starts `recspec lsp` over stdio for `.recspec` files and hands the
// editor to vscode-languageclient (diagnostics, completion, hover, navigation, formatting come from
// the server). Adds "recspec: Restart language server" and restarts when the server settings or the
// workspace's trust change.
"use strict";

const fs = require("node:fs");
const vscode = require("vscode");
const { LanguageClient, State } = require("vscode-languageclient/node");
const { missingForServer } = require("./find-on-path.js");
const { describeServerCommand, resolveServerCommand } = require("./server-command.js");

/** The client id: vscode-languageclient reads `<id>.trace.server` for its protocol trace. */
const CLIENT_ID = "recspec";
const CLIENT_NAME = "recspec Language Server";

/** @type {LanguageClient | undefined} */
let client;
/** @type {vscode.LogOutputChannel | undefined} */
let output;
/** @type {vscode.FileSystemWatcher | undefined} */
let watcher;
/** Starts, stops and restarts run one after another, never two at once. */
let queue = Promise.resolve();

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  // One channel for every restart, so the log of a failed start stays readable.
  output = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("recspec.restartServer", () => restart()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("recspec.server")) void restart();
    }),
    // Trust lets the workspace's own recspec (and its settings) be used: start that one instead.
    vscode.workspace.onDidGrantWorkspaceTrust(() => restart()),
  );
  await enqueue(start);
}

async function deactivate() {
  await enqueue(stop);
}

/**
 * Runs `task` after the ones before it, whether they succeeded or not.
 * @param {() => Promise<void>} task
 */
function enqueue(task) {
  queue = queue.then(task, task);
  return queue;
}

async function start() {
  const settings = vscode.workspace.getConfiguration("recspec.server");
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === "file").map((f) => f.uri.fsPath);
  const server = resolveServerCommand({
    configuredPath: settings.get("path"),
    configuredArgs: settings.get("args"),
    workspaceFolders: folders,
    workspaceTrusted: vscode.workspace.isTrusted,
    exists: isFile,
    platform: process.platform,
  });
  const commandLine = describeServerCommand(server);
  const from = { setting: "recspec.server.path", workspace: "the workspace's node_modules", path: "PATH" }[server.source];
  output?.info(`starting \`${commandLine}\` (from ${from})`);

  const missing = missingForServer(server, { pathEnv: process.env.PATH ?? "", pathExt: process.env.PATHEXT, platform: process.platform, isFile });
  if (missing.length > 0) {
    // Not awaited here or below: activation must not wait for the user to dismiss a message.
    void reportStartFailure(commandLine, missing.join("; "));
    return;
  }

  /** @type {import("vscode-languageclient/node").Executable} */
  const executable = { command: server.command, args: server.args, options: { cwd: folders[0], shell: server.shell } };
  // Specs import each other: the server hears of changes to files that are not open.
  watcher = vscode.workspace.createFileSystemWatcher("**/*.recspec");
  client = new LanguageClient(
    CLIENT_ID,
    CLIENT_NAME,
    { run: executable, debug: executable },
    {
      documentSelector: [
        { scheme: "file", language: "recspec" },
        { scheme: "untitled", language: "recspec" },
      ],
      synchronize: { fileEvents: watcher },
      outputChannel: output,
    },
  );
  try {
    await client.start();
  } catch (error) {
    // The client has already logged and shown its own error; a failed client cannot be stopped.
    client = undefined;
    watcher.dispose();
    watcher = undefined;
    output?.error(`could not start \`${commandLine}\`: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function stop() {
  const running = client;
  client = undefined;
  watcher?.dispose();
  watcher = undefined;
  // Only a running client has a connection to shut down; any other state has nothing to stop.
  if (running?.state === State.Running) await running.stop();
}

/** Queued, so a settings change and the command at once do not start two servers. */
function restart() {
  return enqueue(async () => {
    output?.info("restarting the language server");
    await stop().catch((error) => output?.error(`stopping the server failed: ${String(error)}`));
    await start();
  });
}

/** @param {string} file */
function isFile(file) {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Tells the user why there is no server and where to fix it.
 * @param {string} commandLine
 * @param {string} reason
 */
async function reportStartFailure(commandLine, reason) {
  output?.error(`cannot start \`${commandLine}\`: ${reason}`);
  const choice = await vscode.window.showErrorMessage(
    `recspec: cannot start the language server (${reason}). Install recspec in the workspace (npm install recspec) or on PATH, or set "recspec.server.path".`,
    "Open Settings",
    "Show Log",
  );
  if (choice === "Open Settings") await vscode.commands.executeCommand("workbench.action.openSettings", "recspec.server");
  if (choice === "Show Log") output?.show();
}

module.exports = { activate, deactivate };
