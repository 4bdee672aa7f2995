// The command the VS Code extension resolves really starts a language server: with
// `recspec.server.path` set to this checkout's bin/recspec.js (as the extension's README suggests
// for working on recspec), the command found is runnable, answers `initialize` over stdio and exits
// cleanly on `shutdown`/`exit`, which is all the client needs to take over.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from "vscode-languageserver-protocol/node";
import { REPO_ROOT } from "../../grammar/build.js";

interface ServerCommand {
  command: string;
  args: string[];
  shell: boolean;
  source: string;
}

const require = createRequire(import.meta.url);
const { resolveServerCommand } = require("../../editors/vscode/server-command.js") as {
  resolveServerCommand: (input: object) => ServerCommand;
};
const { missingForServer } = require("../../editors/vscode/find-on-path.js") as {
  missingForServer: (server: ServerCommand, probe: object) => string[];
};

describe("the server command the extension resolves", () => {
  it("starts `recspec lsp`, which initializes and shuts down over stdio", async () => {
    const server = resolveServerCommand({
      configuredPath: "${workspaceFolder}/bin/recspec.js",
      configuredArgs: undefined,
      workspaceFolders: [REPO_ROOT],
      workspaceTrusted: true,
      exists: existsSync,
      platform: process.platform,
    });
    expect(server.command).toBe("node");
    const probe = { pathEnv: process.env.PATH ?? "", pathExt: process.env.PATHEXT, platform: process.platform, isFile: existsSync };
    expect(missingForServer(server, probe)).toEqual([]);

    const child = spawn(server.command, server.args, { cwd: REPO_ROOT, shell: server.shell, stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    connection.listen();
    try {
      const result = (await connection.sendRequest("initialize", {
        processId: process.pid,
        rootUri: pathToFileURL(REPO_ROOT).href,
        workspaceFolders: [{ uri: pathToFileURL(REPO_ROOT).href, name: "recspec" }],
        capabilities: {},
      })) as { capabilities: Record<string, unknown> };
      expect(result.capabilities, stderr).toHaveProperty("textDocumentSync");
      await connection.sendNotification("initialized", {});
      await connection.sendRequest("shutdown");
      await connection.sendNotification("exit");
      expect(await exited, stderr).toBe(0);
    } finally {
      connection.dispose();
      child.kill();
    }
  });
});
